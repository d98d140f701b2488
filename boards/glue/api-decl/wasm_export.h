/* Declaration-only stand-in for WAMR's wasm_export.h (2.x), for syntax checks. See README.md. */
#ifndef _WASM_EXPORT_H
#define _WASM_EXPORT_H
#include <stdint.h>
#include <stdbool.h>

typedef struct WASMModuleCommon *wasm_module_t;
typedef struct WASMModuleInstanceCommon *wasm_module_inst_t;
typedef struct WASMExecEnv *wasm_exec_env_t;
typedef void *wasm_function_inst_t;
typedef void *wasm_memory_inst_t;

typedef struct NativeSymbol { const char *symbol; void *func_ptr; const char *signature; void *attachment; } NativeSymbol;

typedef enum { Alloc_With_Pool = 0, Alloc_With_Allocator, Alloc_With_System_Allocator } mem_alloc_type_t;
typedef union MemAllocOption {
  struct { void *heap_buf; uint32_t heap_size; } pool;
} MemAllocOption;
typedef struct RuntimeInitArgs {
  mem_alloc_type_t mem_alloc_type;
  MemAllocOption mem_alloc_option;
} RuntimeInitArgs;

bool wasm_runtime_full_init(RuntimeInitArgs *init_args);
bool wasm_runtime_register_natives(const char *module_name, NativeSymbol *native_symbols, uint32_t n_native_symbols);
wasm_module_t wasm_runtime_load(uint8_t *buf, uint32_t size, char *error_buf, uint32_t error_buf_size);
wasm_module_inst_t wasm_runtime_instantiate(const wasm_module_t module, uint32_t default_stack_size, uint32_t host_managed_heap_size, char *error_buf, uint32_t error_buf_size);
wasm_exec_env_t wasm_runtime_create_exec_env(wasm_module_inst_t module_inst, uint32_t stack_size);
wasm_function_inst_t wasm_runtime_lookup_function(const wasm_module_inst_t module_inst, const char *name);
bool wasm_runtime_call_wasm(wasm_exec_env_t exec_env, wasm_function_inst_t function, uint32_t argc, uint32_t argv[]);
wasm_module_inst_t wasm_runtime_get_module_inst(wasm_exec_env_t exec_env);
void wasm_runtime_set_exception(wasm_module_inst_t module_inst, const char *exception);
void *wasm_runtime_addr_app_to_native(wasm_module_inst_t module_inst, uint64_t app_offset);
wasm_memory_inst_t wasm_runtime_get_default_memory(const wasm_module_inst_t module_inst);
uint64_t wasm_memory_get_cur_page_count(const wasm_memory_inst_t memory_inst);
uint64_t wasm_memory_get_bytes_per_page(const wasm_memory_inst_t memory_inst);
#endif
