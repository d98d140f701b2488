/* Declaration-only stand-in for wasm3's wasm3.h (0.5.0), for syntax checks. See README.md. */
#ifndef wasm3_h
#define wasm3_h
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

typedef const char *M3Result;
typedef struct M3Environment *IM3Environment;
typedef struct M3Runtime *IM3Runtime;
typedef struct M3Module *IM3Module;
typedef struct M3Function *IM3Function;
typedef struct M3ImportContext { void *userdata; IM3Function function; } M3ImportContext, *IM3ImportContext;

extern const M3Result m3Err_none;
extern const M3Result m3Err_functionLookupFailed;
extern const M3Result m3Err_trapOutOfBoundsMemoryAccess;

typedef const void *(*M3RawCall)(IM3Runtime runtime, IM3ImportContext _ctx, uint64_t *_sp, void *_mem);

IM3Environment m3_NewEnvironment(void);
IM3Runtime m3_NewRuntime(IM3Environment io_environment, uint32_t i_stackSizeInBytes, void *i_userdata);
M3Result m3_ParseModule(IM3Environment i_environment, IM3Module *o_module, const uint8_t *const i_wasmBytes, uint32_t i_numWasmBytes);
M3Result m3_LoadModule(IM3Runtime io_runtime, IM3Module io_module);
M3Result m3_LinkRawFunction(IM3Module io_module, const char *const i_moduleName, const char *const i_functionName, const char *const i_signature, M3RawCall i_function);
M3Result m3_FindFunction(IM3Function *o_function, IM3Runtime i_runtime, const char *const i_functionName);
M3Result m3_Call(IM3Function i_function, uint32_t i_argc, const void *i_argptrs[]);
M3Result m3_GetResults(IM3Function i_function, uint32_t i_retc, const void *o_retptrs[]);
uint8_t *m3_GetMemory(IM3Runtime i_runtime, uint32_t *o_memorySizeInBytes, uint32_t i_memoryIndex);

#define m3ApiRawFunction(NAME) const void *NAME(IM3Runtime runtime, IM3ImportContext _ctx, uint64_t *_sp, void *_mem)
#define m3ApiGetArg(TYPE, NAME) TYPE NAME = *(TYPE *)(_sp++);
#define m3ApiSuccess() return m3Err_none
#define m3ApiTrap(VALUE) return VALUE
#endif
