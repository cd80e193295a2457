// The libcrypto.so shim: see cmake/StampedeOpenSSLShim.cmake. It defines nothing; its only job
// is to carry the name libcrypto.so (its SONAME) and depend on libcrypto.so.3, so CivetWeb's
// dlopen("libcrypto.so") finds it already loaded and dlsym() reaches libcrypto.so.3 through it.

extern "C" __attribute__((visibility("default"))) int stampede_crypto_shim_marker() { return 1; }
