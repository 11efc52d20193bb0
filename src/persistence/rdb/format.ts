/**
 * RDB format constants (Redis 7.0 writes version 10): opcodes, value types, length encodings.
 * Facts from Redis's rdb.h, restated; see writer.ts and loader.ts for their use.
 *
 * Imports nothing.
 */

export const RDB_VERSION = 10;
/** The oldest version the loader accepts (Redis 7.0 loads 1..10). */
export const RDB_MIN_VERSION = 1;

/** Opcodes: a byte where a value type may stand. */
export const OP = {
  FUNCTION2: 245,
  FUNCTION_PRE_GA: 246,
  MODULE_AUX: 247,
  IDLE: 248,
  FREQ: 249,
  AUX: 250,
  RESIZEDB: 251,
  EXPIRETIME_MS: 252,
  EXPIRETIME: 253,
  SELECTDB: 254,
  EOF: 255,
} as const;

/** Value types. Writers of 7.0 use STRING, SET, HASH, ZSET_2, SET_INTSET, HASH_LISTPACK, ZSET_LISTPACK, LIST_QUICKLIST_2. */
export const TYPE = {
  STRING: 0,
  LIST: 1,
  SET: 2,
  ZSET: 3,
  HASH: 4,
  ZSET_2: 5,
  MODULE_PRE_GA: 6,
  MODULE_2: 7,
  HASH_ZIPMAP: 9,
  LIST_ZIPLIST: 10,
  SET_INTSET: 11,
  ZSET_ZIPLIST: 12,
  HASH_ZIPLIST: 13,
  LIST_QUICKLIST: 14,
  STREAM_LISTPACKS: 15,
  HASH_LISTPACK: 16,
  ZSET_LISTPACK: 17,
  LIST_QUICKLIST_2: 18,
  STREAM_LISTPACKS_2: 19,
} as const;

/** Length encodings: the top two bits of the first byte. */
export const LEN_6BIT = 0;
export const LEN_14BIT = 1;
export const LEN_32BIT = 0x80;
export const LEN_64BIT = 0x81;
/** 11xxxxxx: a specially encoded string follows; xxxxxx is one of these. */
export const ENC_INT8 = 0;
export const ENC_INT16 = 1;
export const ENC_INT32 = 2;
export const ENC_LZF = 3;

/** Quicklist 2 node containers. */
export const QUICKLIST_NODE_PLAIN = 1;
export const QUICKLIST_NODE_PACKED = 2;

/** The version redis-ver says: the Redis version whose file format this is. */
export const REDIS_VER = '7.0.15';
