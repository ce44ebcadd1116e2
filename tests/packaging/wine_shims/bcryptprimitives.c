/*
 * bcryptprimitives.dll for the Wine test prefix only (scripts/windows-check.sh copies it into the prefix's
 * system32). It never goes into the bundle or an installer: tests/packaging/test_bundle.py checks that no DLL
 * named after a file in this folder is in the bundle.
 *
 * What it stands in for: Windows' bcryptprimitives.dll, whose ProcessPrng is the system random generator that
 * Rust's standard library calls on Windows 10 and later (cryptography's _rust.pyd imports it). Wine 8 has no
 * such DLL, so cryptography does not import. This one function hands the request to BCryptGenRandom with the
 * system-preferred generator, which Wine implements; as ProcessPrng does, it always reports success.
 *
 * Built with Debian's mingw by scripts/windows-check.sh, which links the libraries named on the next line:
 * Links: -lbcrypt
 */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
    while (size > 0) {
        ULONG chunk = size > 0x40000000 ? 0x40000000 : (ULONG)size;
        if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0)
            return FALSE; /* never seen; the real function cannot fail, and Rust aborts on FALSE */
        data += chunk;
        size -= chunk;
    }
    return TRUE;
}
