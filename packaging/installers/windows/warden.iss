; Inno Setup 6 script for Warden on Windows: a per-user install (no administrator rights).
; Built by build.ps1 after PyInstaller has made dist\pyinstaller\Warden\ (see that script);
; by hand: iscc /DMyAppVersion=0.1.0 packaging\installers\windows\warden.iss
;
; Uninstalling removes the program only. The wallet data (encrypted store, key file, backups,
; settings and logs) lives in %LOCALAPPDATA%\Warden, outside the program folder, and is KEPT,
; so that a reinstall or an accidental uninstall loses nothing. Uninstall says so at the end.

#ifndef MyAppVersion
  #define MyAppVersion "0.1.0"
#endif
#define MyAppName "Warden"
#define MyAppExeName "Warden.exe"
#define MyCliExeName "warden-cli.exe"
#define MyDataDir "{localappdata}\Warden"
#define Repo "..\..\.."

[Setup]
; AppId identifies the program across versions: never change it.
AppId={{6E1B7A52-3C1F-4E0B-9A53-8F2D0C7E4B19}
AppName={#MyAppName}
AppVersion={#MyAppVersion}
AppVerName={#MyAppName} {#MyAppVersion}
AppPublisher=Warden developers
VersionInfoVersion={#MyAppVersion}
; Per user: installs into %LOCALAPPDATA%\Programs\Warden, asks for no administrator rights.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#MyAppName}
DefaultGroupName={#MyAppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile={#Repo}\packaging\icons\warden.ico
UninstallDisplayIcon={app}\{#MyAppExeName}
UninstallDisplayName={#MyAppName}
OutputDir={#Repo}\dist
OutputBaseFilename=warden-{#MyAppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running Warden (it may hold the store open) before files are replaced.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "autostart"; Description: "Start Warden in the tray when I sign in"; GroupDescription: "Start at sign-in:"; Flags: unchecked

[Files]
Source: "{#Repo}\dist\pyinstaller\Warden\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "{#Repo}\README.md"; DestDir: "{app}"; DestName: "README.txt"; Flags: ignoreversion isreadme

[Icons]
Name: "{autoprograms}\{#MyAppName}"; Filename: "{app}\{#MyAppExeName}"; Parameters: "gui"; Comment: "Local EVM wallet with on-device delegates"
Name: "{autodesktop}\{#MyAppName}"; Filename: "{app}\{#MyAppExeName}"; Parameters: "gui"; Tasks: desktopicon

[Registry]
; "Start at login" on Windows is this per-user Run entry, removed again on uninstall.
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "{#MyAppName}"; ValueData: """{app}\{#MyAppExeName}"" gui --minimized"; Flags: uninsdeletevalue; Tasks: autostart

[Run]
Filename: "{app}\{#MyAppExeName}"; Parameters: "gui"; Description: "{cm:LaunchProgram,{#MyAppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program itself leaves inside its own folder; never the data folder.
Type: filesandordirs; Name: "{app}\__pycache__"

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent() then
    MsgBox('Warden has been removed. Your wallet data was NOT deleted: it stays in'#13#10
      + ExpandConstant('{#MyDataDir}') + #13#10#13#10
      + 'Reinstalling Warden opens it again. Delete that folder yourself only after you have '
      + 'written down your recovery phrase and kept a backup.', mbInformation, MB_OK);
end;
