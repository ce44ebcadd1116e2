; Safe Communities Desk: per-machine Windows installer for the 64-bit app (NSIS 3, Unicode).
;
; Build (python packaging/build.py --installer runs this for you):
;   makensis -WX -DDIST_DIR=C:\abs\path\dist\SafeCommunitiesDesk -DVERSION=0.1.0 packaging\windows\installer.nsi
; makensis changes into this script's folder, so give DIST_DIR and OUTFILE as absolute paths.
;
; Defines:
;   DIST_DIR      (required) the PyInstaller one-folder bundle
;   VERSION       (required) the app version, desktop.__version__
;   VERSION_QUAD  four numbers for the file's version resource (default: VERSION.0)
;   OUTFILE       the setup file (default: SafeCommunitiesDesk-VERSION-setup.exe next to this script)
;   SIGN_CMD      a command that signs the file named by its last argument in place (see "Code signing");
;                 it runs from this folder, so name its files by absolute path
;   COMPRESSOR    default "/SOLID lzma"; "zlib" is faster, "off" stores the files (CI's quick checks)
;   EXE_SUFFIX    ".exe"; found from DIST_DIR, so CI can compile (not run) the script against a Linux bundle
;   TARGET        amd64-unicode where makensis has those stubs (Debian's), else x86-unicode (the official builds)
;
; Behaviour (packaging/DEPLOYMENT.md is the guide for IT):
;   - installs into $PROGRAMFILES64\Safe Communities Desk (or /D=...), for all users, needs administrator rights
;   - creates %ProgramData%\SafeCommunitiesDesk (the case log; desktop/paths.py) and gives BUILTIN\Users Modify
;   - an upgrade replaces the program files and never touches the data folder
;   - uninstall keeps the data folder unless the user ticks the box, or /REMOVEDATA is passed with /S
;
; Exit codes: 0 done; 1 cancelled by the user; 2 aborted; 3 the app is running; 4 installed, but the data
; folder's permissions could not be set; 5 Windows too old (before 10 1903) or 32-bit; 6 the previous version could not be removed.

Unicode true
!ifndef TARGET
  !if /FileExists "${NSISDIR}\Stubs\lzma_solid-amd64-unicode"
    !define TARGET "amd64-unicode"
  !else
    ; The official Windows builds of NSIS ship 32-bit stubs only. A 32-bit installer puts the 64-bit app in the
    ; 64-bit Program Files and registry view just the same (SetRegView 64, $PROGRAMFILES64).
    !define TARGET "x86-unicode"
  !endif
!endif
Target ${TARGET}
ManifestDPIAware true
RequestExecutionLevel admin

!ifndef COMPRESSOR
  !define COMPRESSOR "/SOLID lzma"
!endif
!if "${COMPRESSOR}" == "off"
  SetCompress off  ; CI's quick checks of this script: the same installer, without minutes of compression
!else
  SetCompressor ${COMPRESSOR}
!endif

; ---------------------------------------------------------------------------------------------------------------
; Inputs and names

!ifndef DIST_DIR
  !error "Pass the bundle folder: -DDIST_DIR=...\dist\SafeCommunitiesDesk"
!endif
!ifndef VERSION
  !error "Pass the app version: -DVERSION=0.1.0"
!endif
!ifndef VERSION_QUAD
  !define VERSION_QUAD "${VERSION}.0"
!endif
!ifndef OUTFILE
  !define OUTFILE "SafeCommunitiesDesk-${VERSION}-setup.exe"
!endif

!define APP_NAME "Safe Communities Desk"
!define APP_ID "SafeCommunitiesDesk"  ; the program's file name, the registry key and the data folder's name
!define PUBLISHER "City of Northampton"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define UNINSTALLER "uninstall.exe"
; BUILTIN\Users by SID: the group's name is translated on non-English Windows, the SID never is.
!define USERS_SID "*S-1-5-32-545"

!ifndef EXE_SUFFIX
  !if /FileExists "${DIST_DIR}\${APP_ID}.exe"
    !define EXE_SUFFIX ".exe"
  !else
    ; Only CI's Linux bundle has extensionless programs; such an installer is for checking this script.
    !define EXE_SUFFIX ""
  !endif
!endif
!define APP_EXE "${APP_ID}${EXE_SUFFIX}"
!define CONSOLE_EXE "safedesk${EXE_SUFFIX}"
!if ! /FileExists "${DIST_DIR}\${APP_EXE}"
  !error "${DIST_DIR} holds no ${APP_EXE}: build the bundle first (python packaging/build.py)"
!endif
!if /FileExists "${DIST_DIR}\${CONSOLE_EXE}"
  !define HAVE_CONSOLE_EXE
!endif

; The oldest Windows build the app runs on (Windows 10 1903); packaging/windows/desk.wxs has the same number.
!define MIN_WINDOWS_BUILD 18362

!define EXIT_RUNNING 3
!define EXIT_ACL_FAILED 4
!define EXIT_OLD_WINDOWS 5
!define EXIT_OLD_VERSION 6

Name "${APP_NAME}"
OutFile "${OUTFILE}"
BrandingText "${PUBLISHER}"
InstallDir "$PROGRAMFILES64\${APP_NAME}"
ShowInstDetails show
ShowUninstDetails show

; ---------------------------------------------------------------------------------------------------------------
; Code signing. SIGN_CMD gets the file path as its last argument and must sign it in place, with a timestamp
; (packaging/windows/sign.ps1 wraps signtool; osslsigncode works on Linux). !uninstfinalize signs the uninstaller
; as it is generated, before it is packed into setup.exe; !finalize signs setup.exe itself. Sign the bundle's
; own programs before compiling this script (python packaging/build.py --sign-cmd ... does both).

!ifdef SIGN_CMD
  !finalize '${SIGN_CMD} "%1"' = 0
  !uninstfinalize '${SIGN_CMD} "%1"' = 0
!endif

; ---------------------------------------------------------------------------------------------------------------
; Pages

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include WinVer.nsh
!include x64.nsh
!include nsDialogs.nsh

; The app icon (packaging/make_icon.py draws it), for setup.exe and the uninstaller; relative to this script's
; folder, which makensis changes into.
!if ! /FileExists "..\..\resources\icons\desk.ico"
  !error "resources\icons\desk.ico is missing: run python packaging/make_icon.py"
!endif
!define MUI_ICON "..\..\resources\icons\desk.ico"
!define MUI_UNICON "..\..\resources\icons\desk.ico"

!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "This installs ${APP_NAME} ${VERSION} for every user of this PC.$\r$\n$\r$\n\
The case log lives in the shared data folder (%ProgramData%\${APP_ID}). Installing a new version keeps it; \
the app backs it up before it upgrades it.$\r$\n$\r$\nClose ${APP_NAME} on every account before you continue."
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_TEXT "${APP_NAME} ${VERSION} is installed. Officers start it from the Start menu.$\r$\n$\r$\n\
To check this PC, run $\"${APP_NAME} self-test$\" from the Start menu; it should end with exit code 0."
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
UninstPage custom un.DataPageShow un.DataPageLeave
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

VIProductVersion "${VERSION_QUAD}"
VIFileVersion "${VERSION_QUAD}"
VIAddVersionKey "ProductName" "${APP_NAME}"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "LegalCopyright" "${PUBLISHER}"
VIAddVersionKey "FileDescription" "${APP_NAME} ${VERSION} setup"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"

Var DataDir     ; %ProgramData%\SafeCommunitiesDesk, as desktop/paths.py computes it
Var RemoveData  ; 1 when the uninstaller should delete the data folder
Var DataCheckbox

; ---------------------------------------------------------------------------------------------------------------
; Shared helpers

; A program file that is running cannot be opened for writing (sharing violation), whichever account or session
; started it, so this finds the app open on another officer's account too.
!macro DEFINE_CHECK_NOT_RUNNING prefix
  Function ${prefix}CheckNotRunning
    retry:
    StrCpy $1 ""
    ${If} ${FileExists} "$INSTDIR\${APP_EXE}"
      ClearErrors
      FileOpen $0 "$INSTDIR\${APP_EXE}" a
      ${If} ${Errors}
        StrCpy $1 "1"
      ${Else}
        FileClose $0
      ${EndIf}
    ${EndIf}
    ${If} ${FileExists} "$INSTDIR\${CONSOLE_EXE}"
      ClearErrors
      FileOpen $0 "$INSTDIR\${CONSOLE_EXE}" a
      ${If} ${Errors}
        StrCpy $1 "1"
      ${Else}
        FileClose $0
      ${EndIf}
    ${EndIf}
    ${If} $1 == "1"
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APP_NAME} is open on this PC (perhaps on another \
officer's account). Close it everywhere, then click Retry." /SD IDCANCEL IDRETRY retry
      SetErrorLevel ${EXIT_RUNNING}
      Quit
    ${EndIf}
  FunctionEnd
!macroend
!insertmacro DEFINE_CHECK_NOT_RUNNING ""
!insertmacro DEFINE_CHECK_NOT_RUNNING "un."

; ---------------------------------------------------------------------------------------------------------------
; Install

Function .onInit
  SetShellVarContext all
  SetRegView 64
  ; 64-bit Windows 10 version 1903 (build 18362) or later: Qt 6.10 and later (PySide6, pinned in requirements.txt)
  ; load Windows' own ICU, icuuc.dll with the ucnv_* functions, which older builds (1809, LTSC 2019: 17763) lack,
  ; and the app would not start there (packaging/DEPLOYMENT.md, section 1). The MSI has the same condition.
  ${IfNot} ${RunningX64}
  ${OrIfNot} ${AtLeastWin10}
  ${OrIfNot} ${AtLeastBuild} ${MIN_WINDOWS_BUILD}
    ${WinVerGetBuild} $0
    MessageBox MB_ICONSTOP "${APP_NAME} needs 64-bit Windows 10 version 1903 (build ${MIN_WINDOWS_BUILD}) or later, \
or Windows 11. This PC runs build $0: update Windows first (Windows 10 LTSC 2019 is too old; LTSC 2021 works)." /SD IDOK
    SetErrorLevel ${EXIT_OLD_WINDOWS}
    Quit
  ${EndIf}
  StrCpy $DataDir "$APPDATA\${APP_ID}"
  ; An upgrade goes where the last version went, unless /D= named another folder. (Read here, in the 64-bit
  ; view, because InstallDirRegKey would read a 32-bit installer's WOW6432Node view.)
  ReadRegStr $0 HKLM "${UNINST_KEY}" "InstallLocation"
  ${If} $0 != ""
  ${AndIf} $INSTDIR == "$PROGRAMFILES64\${APP_NAME}"
    StrCpy $INSTDIR $0
  ${EndIf}
FunctionEnd

Section "Program files" SecProgram
  SectionIn RO
  Call CheckNotRunning

  ; A previous version installed elsewhere: remove it with its own uninstaller, silently and in place (_?=) so
  ; this waits for it. That uninstaller keeps the data folder (no /REMOVEDATA).
  ReadRegStr $0 HKLM "${UNINST_KEY}" "InstallLocation"
  ${If} $0 != ""
  ${AndIf} $0 != $INSTDIR
  ${AndIf} ${FileExists} "$0\${UNINSTALLER}"
    DetailPrint "Removing the previous version from $0"
    ClearErrors
    ExecWait '"$0\${UNINSTALLER}" /S _?=$0' $1
    ${If} ${Errors}
    ${OrIf} $1 != 0
      MessageBox MB_ICONSTOP "The previous version in $0 could not be removed (code $1). Close ${APP_NAME} \
everywhere and run setup again." /SD IDOK
      SetErrorLevel ${EXIT_OLD_VERSION}
      Quit
    ${EndIf}
    Delete "$0\${UNINSTALLER}"
    RMDir "$0"
  ${EndIf}

  ; Replace the program files rather than merge them: a new bundle renames and drops files, and a stale DLL left
  ; in _internal could be loaded by the new version.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CONSOLE_EXE}"
  SetOutPath "$INSTDIR"
  File /r "${DIST_DIR}\*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  ; The shared case log. Without the grant, files one officer creates are read-only to the next (ProgramData
  ; gives new files to CREATOR OWNER), and SQLite must also create -wal/-journal files beside the database.
  ; (OI)(CI) makes the grant inherit to backups\, memos\, logs\ and every file created later.
  CreateDirectory "$DataDir"
  DetailPrint "Granting BUILTIN\Users modify access to $DataDir"
  nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$DataDir" /grant ${USERS_SID}:(OI)(CI)M'
  Pop $0
  ${If} $0 != 0
    DetailPrint "icacls failed ($0): officers may not be able to save cases"
    MessageBox MB_ICONEXCLAMATION "Could not give desk users write access to $DataDir (icacls: $0).$\r$\n\
Run as administrator: icacls $\"$DataDir$\" /grant ${USERS_SID}:(OI)(CI)M" /SD IDOK
    SetErrorLevel ${EXIT_ACL_FAILED}
  ${EndIf}

  ; Start menu, for all users (SetShellVarContext all).
  SetOutPath "$INSTDIR"
  CreateDirectory "$SMPROGRAMS\${APP_NAME}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
  !ifdef HAVE_CONSOLE_EXE
    ; cmd /k keeps the window open so the officer or technician can read the result.
    ; $WINDIR\System32, not $SYSDIR: a 32-bit installer's $SYSDIR is SysWOW64.
    CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME} self-test.lnk" "$WINDIR\System32\cmd.exe" \
      '/k ""$INSTDIR\${CONSOLE_EXE}" --self-test"' "$INSTDIR\${APP_EXE}" 0
  !else
    CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME} self-test.lnk" "$INSTDIR\${APP_EXE}" "--self-test" \
      "$INSTDIR\${APP_EXE}" 0
  !endif
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\Uninstall ${APP_NAME}.lnk" "$INSTDIR\${UNINSTALLER}"

  ; Apps & features, and the value SCCM/Intune detection rules read (DisplayVersion).
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" "$0"

  ; /ADMINFINGERPRINT=<the first admin's key fingerprint, from the paper of set-up>: pinned where desk users cannot
  ; write, for verify and the window to compare the log's admin key with (DEPLOYMENT.md section 6a). Never removed.
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/ADMINFINGERPRINT=" $1
  ${IfNot} ${Errors}
  ${AndIf} $1 != ""
    WriteRegStr HKLM "Software\${APP_ID}" "AdminFingerprint" "$1"
  ${EndIf}
SectionEnd

; ---------------------------------------------------------------------------------------------------------------
; Uninstall

Function un.onInit
  SetShellVarContext all
  SetRegView 64
  StrCpy $DataDir "$APPDATA\${APP_ID}"
  ; The data folder goes only on request: the box on the data page, or /REMOVEDATA on the command line.
  StrCpy $RemoveData 0
  ${un.GetParameters} $0
  ClearErrors
  ${un.GetOptions} $0 "/REMOVEDATA" $1
  ${IfNot} ${Errors}
    StrCpy $RemoveData 1
  ${EndIf}
FunctionEnd

Function un.DataPageShow
  ${IfNot} ${FileExists} "$DataDir\*"
    Abort  ; no data folder, nothing to ask
  ${EndIf}
  !insertmacro MUI_HEADER_TEXT "Case log" "The case log on this PC is kept unless you choose otherwise."
  nsDialogs::Create 1018
  Pop $0
  ${If} $0 == error
    Abort
  ${EndIf}
  ${NSD_CreateLabel} 0 0 100% 64u "The case log, its backups and the memos in $DataDir stay on this PC, so \
a later install finds them. They are City records: check the retention schedule with the records officer \
(and make a backup) before deleting them."
  Pop $0
  ${NSD_CreateCheckbox} 0 72u 100% 12u "&Also delete the case log, backups and memos (cannot be undone)"
  Pop $DataCheckbox
  ${If} $RemoveData == 1
    ${NSD_Check} $DataCheckbox
  ${EndIf}
  nsDialogs::Show
FunctionEnd

Function un.DataPageLeave
  ${NSD_GetState} $DataCheckbox $0
  ${If} $0 == ${BST_CHECKED}
    MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "Permanently delete every case, backup and memo in \
$DataDir?" IDYES confirmed
    Abort  ; back to the page
    confirmed:
    StrCpy $RemoveData 1
  ${Else}
    StrCpy $RemoveData 0
  ${EndIf}
FunctionEnd

Section "Uninstall"
  Call un.CheckNotRunning
  Delete "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk"
  Delete "$SMPROGRAMS\${APP_NAME}\${APP_NAME} self-test.lnk"
  Delete "$SMPROGRAMS\${APP_NAME}\Uninstall ${APP_NAME}.lnk"
  RMDir "$SMPROGRAMS\${APP_NAME}"

  ; Only what setup put there: a plain RMDir /r "$INSTDIR" would empty whatever folder /D= once named.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CONSOLE_EXE}"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINST_KEY}"

  ${If} $RemoveData == 1
    DetailPrint "Deleting the data folder $DataDir"
    RMDir /r "$DataDir"
  ${Else}
    DetailPrint "Kept the data folder $DataDir"
  ${EndIf}
SectionEnd
