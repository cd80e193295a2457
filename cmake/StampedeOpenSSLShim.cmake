# TLS for CivetWeb on Debian 12: two shim libraries named libssl.so and libcrypto.so.
#
# Debian's libcivetweb 1.15 loads OpenSSL at run time: dlopen("libssl.so") and
# dlopen("libcrypto.so") (unversioned names, which only libssl-dev installs), then dlsym() of the
# OpenSSL 1.1 API. Against OpenSSL 3 one symbol is missing, SSL_get_peer_certificate (renamed
# SSL_get1_peer_certificate), so CivetWeb's TLS set-up fails. The shims fix both problems:
#  - stampede_ssl_shim: SONAME libssl.so, defines SSL_get_peer_certificate (forwarding to
#    SSL_get1_peer_certificate) and depends on libssl.so.3;
#  - stampede_crypto_shim: SONAME libcrypto.so, depends on libcrypto.so.3.
# stampede_exporter does not link them (nor OpenSSL: 1.7 MB of RSS for nothing without TLS):
# when TLS or basic auth is configured, common/openssl.cc dlopen()s both from
# ../lib/stampede_exporter beside the binary, RTLD_GLOBAL, before CivetWeb starts. When
# CivetWeb then calls dlopen("libssl.so"), glibc finds the already-loaded object of that
# SONAME, and dlsym() through its handle searches its dependencies, libssl.so.3 included. No
# libssl-dev is needed at run time: libssl3 suffices.
#
# stampede_link_openssl_shims(target) builds the shims with an executable in
# ${CMAKE_BINARY_DIR}/bin (or installed in bin/ beside lib/stampede_exporter/).

find_package(OpenSSL 3 REQUIRED)

set(STAMPEDE_SHIM_DIR ${CMAKE_BINARY_DIR}/lib/stampede_exporter)

foreach(which ssl crypto)
  add_library(stampede_${which}_shim SHARED ${CMAKE_CURRENT_LIST_DIR}/openssl_shim/${which}_shim.cc)
  # No VERSION/SOVERSION: the file name and the SONAME are both lib${which}.so.
  set_target_properties(stampede_${which}_shim PROPERTIES
    OUTPUT_NAME ${which}
    LIBRARY_OUTPUT_DIRECTORY ${STAMPEDE_SHIM_DIR}
    CXX_VISIBILITY_PRESET hidden)
  # The dependency must stay even though the shim references little or nothing of it.
  target_link_options(stampede_${which}_shim PRIVATE LINKER:--no-as-needed)
endforeach()
target_link_libraries(stampede_ssl_shim PRIVATE OpenSSL::SSL)
target_link_libraries(stampede_crypto_shim PRIVATE OpenSSL::Crypto)

function(stampede_link_openssl_shims target)
  # Built with the target, not linked to it: common/openssl.cc loads them from
  # ../lib/stampede_exporter beside the binary when TLS or basic auth needs OpenSSL.
  add_dependencies(${target} stampede_ssl_shim stampede_crypto_shim)
  if(CMAKE_SKIP_INSTALL_RULES)
    return()
  endif()
  install(TARGETS stampede_ssl_shim stampede_crypto_shim
    LIBRARY DESTINATION lib/stampede_exporter)
endfunction()
