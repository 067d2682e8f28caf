; Chronokey's additions to electron-builder's NSIS installer: register otpauth:// so a link
; clicked anywhere opens Chronokey's add flow, and remove the registration on uninstall.
; SHELL_CONTEXT is HKCU for a per-user install and HKLM for a per-machine one.

!macro customInstall
  WriteRegStr SHELL_CONTEXT "Software\Classes\otpauth" "" "URL:otpauth link"
  WriteRegStr SHELL_CONTEXT "Software\Classes\otpauth" "URL Protocol" ""
  WriteRegStr SHELL_CONTEXT "Software\Classes\otpauth\DefaultIcon" "" "$INSTDIR\${APP_EXECUTABLE_FILENAME},0"
  WriteRegStr SHELL_CONTEXT "Software\Classes\otpauth\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
!macroend

!macro customUnInstall
  ; Only remove the handler if it is still ours: another authenticator may have taken it since.
  ReadRegStr $0 SHELL_CONTEXT "Software\Classes\otpauth\shell\open\command" ""
  StrCmp $0 '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"' 0 +2
    DeleteRegKey SHELL_CONTEXT "Software\Classes\otpauth"
!macroend
