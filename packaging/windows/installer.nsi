; Help Desk Desktop — Windows installer (NSIS 3, Unicode).
;
;   makensis /DVERSION=0.1.0 /DSOURCE=..\..\dist\helpdesk-desktop /DOUTFILE=HelpDeskDesktop-0.1.0-setup.exe installer.nsi
;
; A per-user install: no administrator rights, into %LOCALAPPDATA%\Programs\Help Desk Desktop,
; a Start-menu entry, an entry in Settings › Apps with its uninstaller. Uninstalling removes the
; program only: the help desk data (%LOCALAPPDATA%\HelpDeskDesktop: databases, backups, logs) and
; the settings stay, so a reinstall finds everything. makensis also runs on Linux (Debian package
; "nsis"); tests/packaging/test_packaging_files.py compiles this script there.

Unicode true
SetCompressor /SOLID lzma

!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef SOURCE
  !define SOURCE "..\..\dist\helpdesk-desktop"
!endif
!ifndef OUTFILE
  !define OUTFILE "HelpDeskDesktop-${VERSION}-setup.exe"
!endif

!define APP_NAME "Help Desk Desktop"
!define APP_EXE "helpdesk-desktop.exe"
!define APP_ID "HelpDeskDesktop"
!define PUBLISHER "Help Desk Desktop developers"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"

!include "MUI2.nsh"
!include "FileFunc.nsh"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
InstallDirRegKey HKCU "Software\${APP_ID}" "InstallDir"
BrandingText "${APP_NAME} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1033 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APP_NAME} installer"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "${PUBLISHER}"

!define MUI_ICON "helpdesk-desktop.ico"
!define MUI_UNICON "helpdesk-desktop.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "French"

LangString UninstallKeepsData ${LANG_ENGLISH} "Your help desk data and settings are kept in $LOCALAPPDATA\${APP_ID}."
LangString UninstallKeepsData ${LANG_FRENCH} "Vos données et vos réglages sont conservés dans $LOCALAPPDATA\${APP_ID}."

Function .onInit
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Section "Install"
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  ; A previous version's files go first (its DLLs must not mix with the new ones).
  RMDir /r "$INSTDIR\_internal"
  File /r "${SOURCE}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APP_NAME}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\Uninstall ${APP_NAME}.lnk" "$INSTDIR\uninstall.exe"

  WriteRegStr HKCU "Software\${APP_ID}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  ; Only what the installer put there: never the data folder ($LOCALAPPDATA\${APP_ID}).
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\helpdesk-desktop.exe"
  Delete "$INSTDIR\helpdesk-desktop-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk"
  Delete "$SMPROGRAMS\${APP_NAME}\Uninstall ${APP_NAME}.lnk"
  RMDir "$SMPROGRAMS\${APP_NAME}"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  ; The program's settings (QSettings) live in the same key, under "Software\${APP_ID}\${APP_NAME}":
  ; remove only the installer's value, and the key only if nothing else is left in it.
  DeleteRegValue HKCU "Software\${APP_ID}" "InstallDir"
  DeleteRegKey /ifempty HKCU "Software\${APP_ID}"
  DetailPrint "$(UninstallKeepsData)"
SectionEnd
