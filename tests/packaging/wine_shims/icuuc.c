/*
 * icuuc.dll for the Wine test prefix only (scripts/windows-check.sh copies it into the prefix's system32).
 * It never goes into the bundle or an installer: tests/packaging/test_bundle.py checks that no DLL named after a
 * file in this folder is in the bundle.
 *
 * What it stands in for: Windows' own ICU library (icuuc.dll, Windows 10 1903 and later). Qt 6.10 and later
 * import 20 ucnv_* functions from it for their text codecs, and Wine 8 has no icuuc.dll, so without this file
 * Qt6Core.dll does not load at all. Every converter it is asked for "is not supported" (ucnv_open fails with
 * U_UNSUPPORTED_ERROR) and it lists none, so Qt keeps to its built-in UTF-8/UTF-16/Latin-1 codecs, which are
 * all the app uses. The consequence: under Wine the ICU path is untested (packaging/DEPLOYMENT.md says what the
 * installers require instead).
 *
 * Built with Debian's mingw by scripts/windows-check.sh (x86_64-w64-mingw32-gcc -O2 -shared -s), which links
 * the libraries named on the next line:
 * Links:
 */
#include <stddef.h>
#include <stdint.h>

#define EXPORT __declspec(dllexport)
#define U_UNSUPPORTED_ERROR 16 /* ICU's utypes.h */

typedef int UErrorCode;
typedef uint16_t UChar;
typedef void *Callback;

static void unsupported(UErrorCode *err)
{
    if (err != NULL && *err <= 0)
        *err = U_UNSUPPORTED_ERROR;
}

EXPORT void *ucnv_open(const char *name, UErrorCode *err) { (void)name; unsupported(err); return NULL; }
EXPORT void ucnv_close(void *cnv) { (void)cnv; }
EXPORT void ucnv_reset(void *cnv) { (void)cnv; }
EXPORT int8_t ucnv_getMaxCharSize(const void *cnv) { (void)cnv; return 4; }
EXPORT const char *ucnv_getName(const void *cnv, UErrorCode *err) { (void)cnv; unsupported(err); return NULL; }
EXPORT int32_t ucnv_countAvailable(void) { return 0; }
EXPORT const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
EXPORT const char *ucnv_getStandardName(const char *name, const char *standard, UErrorCode *err)
{
    (void)name; (void)standard; unsupported(err); return NULL;
}
EXPORT int32_t ucnv_toUCountPending(const void *cnv, UErrorCode *err) { (void)cnv; unsupported(err); return 0; }
EXPORT int32_t ucnv_fromUCountPending(const void *cnv, UErrorCode *err) { (void)cnv; unsupported(err); return 0; }

EXPORT void ucnv_getToUCallBack(const void *cnv, Callback *action, const void **context)
{
    (void)cnv;
    if (action) *action = NULL;
    if (context) *context = NULL;
}
EXPORT void ucnv_getFromUCallBack(const void *cnv, Callback *action, const void **context)
{
    ucnv_getToUCallBack(cnv, action, context);
}
EXPORT void ucnv_setToUCallBack(void *cnv, Callback action, const void *context, Callback *old_action,
                                const void **old_context, UErrorCode *err)
{
    (void)action; (void)context;
    ucnv_getToUCallBack(cnv, old_action, old_context);
    unsupported(err);
}
EXPORT void ucnv_setFromUCallBack(void *cnv, Callback action, const void *context, Callback *old_action,
                                  const void **old_context, UErrorCode *err)
{
    ucnv_setToUCallBack(cnv, action, context, old_action, old_context, err);
}

EXPORT void ucnv_toUnicode(void *cnv, UChar **target, const UChar *target_limit, const char **source,
                           const char *source_limit, int32_t *offsets, int8_t flush, UErrorCode *err)
{
    (void)cnv; (void)target; (void)target_limit; (void)source; (void)source_limit; (void)offsets; (void)flush;
    unsupported(err);
}
EXPORT void ucnv_fromUnicode(void *cnv, char **target, const char *target_limit, const UChar **source,
                             const UChar *source_limit, int32_t *offsets, int8_t flush, UErrorCode *err)
{
    (void)cnv; (void)target; (void)target_limit; (void)source; (void)source_limit; (void)offsets; (void)flush;
    unsupported(err);
}
EXPORT void ucnv_cbToUWriteUChars(void *args, const UChar *source, int32_t length, int32_t offset_index,
                                  UErrorCode *err)
{
    (void)args; (void)source; (void)length; (void)offset_index; unsupported(err);
}
EXPORT void ucnv_cbFromUWriteUChars(void *args, const UChar **source, const UChar *source_limit,
                                    int32_t offset_index, UErrorCode *err)
{
    (void)args; (void)source; (void)source_limit; (void)offset_index; unsupported(err);
}

/* The standard substitution callbacks, whose addresses Qt passes to ucnv_set*CallBack. */
EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *context, void *args, const UChar *units, int32_t length,
                                            int32_t code_point, int reason, UErrorCode *err)
{
    (void)context; (void)args; (void)units; (void)length; (void)code_point; (void)reason; unsupported(err);
}
EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *context, void *args, const char *units, int32_t length,
                                          int reason, UErrorCode *err)
{
    (void)context; (void)args; (void)units; (void)length; (void)reason; unsupported(err);
}
