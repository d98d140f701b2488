/* Error codes of the board glue (negative). Engine setup errors (assembly/errors.ts) pass through as
 * ST_ERR_ENGINE_BASE + code so they stay distinguishable. */
#ifndef ST_ERRORS_H
#define ST_ERRORS_H

#define ST_OK 0
#define ST_ERR_RUNTIME (-100)         /* trap, or an export the module lacks                 */
#define ST_ERR_MEMORY (-101)          /* plan + input buffer exceed the board's linear memory */
#define ST_ERR_LAYOUT (-102)          /* config layout invalid (count or width)               */
#define ST_ERR_BOUNDS (-103)          /* import pointer outside linear memory                 */
#define ST_ERR_PROTOCOL (-104)        /* reserved: bytes that start no frame are skipped (st_frame.h) */
#define ST_ERR_POOL (-106)            /* WAMR: its pool (ST_WAMR_POOL_BYTES) cannot hold module, instance and exec env */
#define ST_ERR_NO_PAIRS (-105)        /* pair read (mtj_sample, draws = 0): the HAL has no MTJ pairs */
#define ST_ERR_WEIGHTS_MAGIC (-110)   /* not "STWT"                                          */
#define ST_ERR_WEIGHTS_VERSION (-111) /* version 0 or newer than 2                           */
#define ST_ERR_WEIGHTS_LENGTH (-112)  /* truncated or trailing bytes                          */
#define ST_ERR_WEIGHTS_CHECKSUM (-113)/* CRC-32 mismatch: corrupt or tampered                */
#define ST_ERR_WEIGHTS_HEADER (-114)  /* header field out of range                            */
#define ST_ERR_WEIGHTS_LAYOUT (-115)  /* weights for another layout                           */
#define ST_ERR_WEIGHTS_TENSOR (-116)  /* tensor missing or of the wrong size                  */
#define ST_ERR_WEIGHTS_FORMAT (-117)  /* W<l>/B<l> stored in another width or Q than the build's */
#define ST_ERR_ENGINE_BASE (-200)     /* + the engine's own code (-1 … -9)                   */

const char *st_strerror(int code);
#endif
