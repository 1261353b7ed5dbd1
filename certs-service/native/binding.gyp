# The CertHub SM2 addon: N-API glue over the OpenSSL that the node binary itself bundles and exports.
# Built by scripts/build-native.sh with npm's own node-gyp and --nodedir pointing at the local node headers,
# so it never needs the network. It links no libcrypto of its own: every OpenSSL symbol resolves against
# the running node binary, and -z now makes a missing symbol a clean load error instead of a crash later.
{
  "targets": [
    {
      "target_name": "certhub_sm2",
      "sources": ["src/addon.c", "src/sm2_evp.c", "src/sm2_fast.c"],
      "cflags": ["-O3", "-funroll-loops", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "ldflags": ["-Wl,-z,now"],
      "defines": ["NAPI_VERSION=8", "OPENSSL_API_COMPAT=30000", "OPENSSL_NO_DEPRECATED"]
    }
  ]
}
