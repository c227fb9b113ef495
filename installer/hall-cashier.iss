; Inno Setup script for Windows hall PCs. Build on a Windows machine, after the PyInstaller build:
;   pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller installer\cashier.spec
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DMyAppVersion=0.1.0 installer\hall-cashier.iss
; Output: dist\hall-cashier-setup-<version>.exe
; The program goes to Program Files; the data (database, settings, logs, backups) lives in the
; user's %LOCALAPPDATA%\hall-cashier and is never touched by an upgrade or an uninstall.

#ifndef MyAppVersion
  #define MyAppVersion "0.1.0"
#endif
#define MyAppName "供电营业厅收费柜台"
#define MyAppExe "cashier.exe"

[Setup]
AppId={{5B0E4C1E-7A51-4C6B-9E0B-3D2C8F1A6E21}
AppName={#MyAppName}
AppVersion={#MyAppVersion}
AppPublisher=Counter cashier team
DefaultDirName={autopf}\hall-cashier
DefaultGroupName={#MyAppName}
OutputDir=..\dist
OutputBaseFilename=hall-cashier-setup-{#MyAppVersion}
SetupIconFile=hall-cashier.ico
UninstallDisplayIcon={app}\{#MyAppExe}
Compression=lzma2
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=admin
; An upgrade closes a running counter first, then replaces the program files.
CloseApplications=yes
WizardStyle=modern

[Languages]
Name: "chinesesimp"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
; The whole one-folder build: cashier.exe, cashier-admin.exe, cashier-upstream.exe and _internal\.
Source: "..\dist\hall-cashier\cashier.exe"; DestDir: "{app}"; Flags: ignoreversion
Source: "..\dist\hall-cashier\cashier-admin.exe"; DestDir: "{app}"; Flags: ignoreversion
Source: "..\dist\hall-cashier\cashier-upstream.exe"; DestDir: "{app}"; Flags: ignoreversion
Source: "..\dist\hall-cashier\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#MyAppName}"; Filename: "{app}\{#MyAppExe}"
Name: "{group}\技术人员命令行 (cashier-admin)"; Filename: "{cmd}"; Parameters: "/k ""{app}\cashier-admin.exe"" --help"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,{#MyAppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#MyAppName}"; Filename: "{app}\{#MyAppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#MyAppExe}"; Description: "{cm:LaunchProgram,{#MyAppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] and no [Dirs] under {localappdata}: the data folder survives uninstall and upgrade.
