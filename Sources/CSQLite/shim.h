#include <sqlite3.h>

// Swift cannot import SQLITE_TRANSIENT: it is a macro casting -1 to a function pointer.
// SQLite copies the bytes before the bind call returns, so the caller's buffer may be temporary.
static inline sqlite3_destructor_type csqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

// SQLITE_STATIC: the caller guarantees the bytes outlive the binding (literals only).
static inline sqlite3_destructor_type csqlite_static(void) {
    return SQLITE_STATIC;
}

// sqlite3_db_config is variadic; Swift cannot call variadic C functions.
// This form covers the boolean options (SQLITE_DBCONFIG_ENABLE_FKEY, _DEFENSIVE, _DQS_DML, ...).
static inline int csqlite_db_config_bool(sqlite3 *db, int op, int value, int *result) {
    return sqlite3_db_config(db, op, value, result);
}

// sqlite3_config is variadic too; only the no-argument and single-int forms are wrapped.
static inline int csqlite_config_int(int op, int value) {
    return sqlite3_config(op, value);
}
