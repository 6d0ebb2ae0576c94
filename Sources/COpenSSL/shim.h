#ifndef FJERN_COPENSSL_SHIM_H
#define FJERN_COPENSSL_SHIM_H

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <openssl/params.h>
#include <openssl/core_names.h>

// Wrappers for what Swift cannot call directly: function-like macros, and calls whose C
// signatures (void *, non-const char * in OSSL_PARAM) would force unsafe casts in Swift.

// OPENSSL_free is a macro over CRYPTO_free(ptr, __FILE__, __LINE__).
static inline void fjern_openssl_free(void *ptr) {
    OPENSSL_free(ptr);
}

// GCM tag get/set go through the untyped EVP_CIPHER_CTX_ctrl(ctx, op, int, void *).
static inline int fjern_gcm_get_tag(EVP_CIPHER_CTX *ctx, unsigned char *tag, int length) {
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, length, tag);
}

static inline int fjern_gcm_set_tag(EVP_CIPHER_CTX *ctx, const unsigned char *tag, int length) {
    // OpenSSL copies the tag; the cast only satisfies the void * parameter.
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, length, (void *)tag);
}

// AES-128 CMAC through the OpenSSL 3 EVP_MAC API. The OSSL_PARAM array wants a mutable
// char * for the cipher name, so it is built here rather than in Swift.
static inline int fjern_cmac_init_aes128(EVP_MAC_CTX *ctx, const unsigned char *key, size_t key_length) {
    char cipher[] = "AES-128-CBC";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, cipher, 0),
        OSSL_PARAM_construct_end(),
    };
    return EVP_MAC_init(ctx, key, key_length, params);
}

#endif
