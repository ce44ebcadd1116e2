# Authenticode-signs one file in place with signtool, timestamped. Used as SIGN_CMD by packaging/build.py and
# installer.nsi (!finalize, !uninstfinalize), and by .github/workflows/windows-build.yml:
#   powershell -NoProfile -ExecutionPolicy Bypass -File C:\path\to\packaging\windows\sign.ps1 FILE
# (name it by absolute path in SIGN_CMD: makensis runs that command from packaging\windows\).
# The certificate, one of:
#   SIGN_CERT_THUMBPRINT   a certificate in the user or machine store (a city CA smartcard or token works too)
#   SIGN_PFX_PATH          a .pfx file, with SIGN_PFX_PASSWORD
# SIGN_TIMESTAMP_URL: the RFC 3161 timestamp server (default DigiCert's; use the one your CA names). Timestamping
# keeps the signature valid after the certificate expires, and needs the network while signing.
param([Parameter(Mandatory = $true)][string]$Path)
$ErrorActionPreference = 'Stop'

$signtool = (Get-Command signtool.exe -ErrorAction SilentlyContinue).Source
if (-not $signtool) {
    # The Windows SDK is on GitHub's images but not on PATH; take the newest x64 signtool.
    $signtool = Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" |
        Sort-Object FullName | Select-Object -Last 1 -ExpandProperty FullName
}
if (-not $signtool) { throw 'signtool.exe not found: install the Windows SDK signing tools' }

$timestamp = if ($env:SIGN_TIMESTAMP_URL) { $env:SIGN_TIMESTAMP_URL } else { 'http://timestamp.digicert.com' }
$signArgs = @('sign', '/fd', 'sha256', '/tr', $timestamp, '/td', 'sha256', '/d', 'Safe Communities Desk')
if ($env:SIGN_CERT_THUMBPRINT) {
    $signArgs += @('/sha1', $env:SIGN_CERT_THUMBPRINT)
} elseif ($env:SIGN_PFX_PATH) {
    $signArgs += @('/f', $env:SIGN_PFX_PATH, '/p', $env:SIGN_PFX_PASSWORD)
} else {
    throw 'Set SIGN_CERT_THUMBPRINT, or SIGN_PFX_PATH and SIGN_PFX_PASSWORD'
}
& $signtool @signArgs $Path
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
