using System.Net.Http;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DockerNetPlugin.Store.Tls;

/// <summary>
/// The TLS side of one store client (etcd or Consul, kv.md §1.1 and §2.9). Loads the CA bundle and the client
/// certificate once (a missing or unreadable file fails at once, naming the setting and the path), trusts only that
/// CA when one is given, remembers why it last refused a server certificate, and turns a failed handshake into a
/// <see cref="StoreTlsException"/> that says what went wrong instead of a generic transport error.
/// </summary>
internal sealed class StoreTlsClient
{
    private readonly TlsFileSettings _files;
    private readonly X509Certificate2Collection? _roots;
    private readonly X509Certificate2? _clientCertificate;
    private readonly bool _verifyServer;
    private volatile string? _lastRejection;
    private volatile bool _serverAskedForCertificate;

    public StoreTlsClient(TlsFileSettings files, bool verifyServer = true)
    {
        _files = files;
        _verifyServer = verifyServer;
        if ((files.CertFile is null) != (files.KeyFile is null))
            throw new StoreException($"{files.CertSetting} and {files.KeySetting} must be set together (a client certificate needs its key)");
        _roots = files.CaFile is null ? null : LoadRoots(files.CaFile, files.CaSetting);
        _clientCertificate = files.CertFile is null ? null : LoadClientCertificate(files);
    }

    /// <summary>Puts the client certificate, the expected server name (when it differs from the dialled host) and the server check on <paramref name="handler"/>.</summary>
    public void Apply(SocketsHttpHandler handler, string? serverName = null)
    {
        if (_clientCertificate is not null)
            handler.SslOptions.ClientCertificates = [_clientCertificate];
        else
            handler.SslOptions.LocalCertificateSelectionCallback = NoteCertificateRequest;
        if (serverName is not null)
            handler.SslOptions.TargetHost = serverName;
        handler.SslOptions.RemoteCertificateValidationCallback = ValidateServer;
    }

    /// <summary>
    /// A <see cref="StoreTlsException"/> naming <paramref name="target"/> and the cause when <paramref name="failure"/>
    /// is a TLS failure (refused server certificate, alert from the server); null for any other transport error.
    /// </summary>
    public StoreTlsException? Explain(string target, Exception failure)
    {
        // A server that asked for the certificate we lack either sends an alert (Go) or just closes (.NET).
        var refusedForNoCertificate = _clientCertificate is null && _serverAskedForCertificate && EndedAfterHandshake(failure);
        if (!IsTlsFailure(failure) && !refusedForNoCertificate)
            return null;
        var detail = Innermost(failure).Message;
        string why;
        if (Chain(failure).Any(e => e is AuthenticationException) && _lastRejection is { } rejection)
            why = rejection;
        else if (refusedForNoCertificate)
            why = $"the server requires a client certificate and none is configured (it asked for one, then ended the connection: {detail}); set {_files.CertSetting} and {_files.KeySetting}";
        else if (_clientCertificate is null)
            why = $"the server ended the handshake ({detail}); it probably requires a client certificate: set {_files.CertSetting} and {_files.KeySetting}";
        else
            why = $"the server ended the handshake ({detail}); check that {_files.CertSetting} '{_files.CertFile}' is signed by a CA the server trusts";
        return new StoreTlsException($"{target}: TLS failed: {why}", failure);
    }

    /// <summary>Client certificate selection when none is configured: sends none, but notes that the server asked (it is called with the server's certificate only then).</summary>
    private X509Certificate NoteCertificateRequest(object sender, string targetHost, X509CertificateCollection localCertificates, X509Certificate? remoteCertificate, string[] acceptableIssuers)
    {
        if (remoteCertificate is not null)
            _serverAskedForCertificate = true;
        return null!;
    }

    private bool ValidateServer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (!_verifyServer)
            return true;
        if (certificate is null)
            return Reject("the server sent no certificate");
        using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return Reject($"the server certificate ({server.Subject}) is not issued for the name dialled");
        if (_roots is null)
        {
            return errors == SslPolicyErrors.None
                || Reject($"the server certificate ({server.Subject}, issued by {server.Issuer}) is not trusted by this host's CAs ({errors}); set {_files.CaSetting}");
        }
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        if (custom.Build(server))
            return true;
        var status = string.Join(", ", custom.ChainStatus.Select(s => s.Status).Distinct());
        return Reject($"the server certificate ({server.Subject}, issued by {server.Issuer}) is not signed by the CA in {_files.CaSetting} '{_files.CaFile}' (chain: {status})");
    }

    private bool Reject(string reason)
    {
        _lastRejection = reason;
        return false;
    }

    private static bool IsTlsFailure(Exception failure) => Chain(failure).Any(e =>
        e is AuthenticationException
        || e is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }
        || e.Message.Contains("SSL routines", StringComparison.Ordinal));

    private static bool EndedAfterHandshake(Exception failure) => Chain(failure).Any(e =>
        e is HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded } || (e is IOException && e is not HttpIOException));

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            yield return x;
    }

    private static Exception Innermost(Exception e) => Chain(e).Last();

    private static X509Certificate2Collection LoadRoots(string path, string setting)
    {
        RequireFile(path, setting);
        try
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(path);
            return roots.Count > 0 ? roots : throw new StoreException($"{setting} '{path}' holds no PEM certificate");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new StoreException($"{setting} '{path}' cannot be loaded: {e.Message}", e);
        }
    }

    private static X509Certificate2 LoadClientCertificate(TlsFileSettings files)
    {
        RequireFile(files.CertFile!, files.CertSetting);
        RequireFile(files.KeyFile!, files.KeySetting);
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(files.CertFile!, files.KeyFile);
            // Export/import gives a certificate whose key SslStream can use on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new StoreException(
                $"{files.CertSetting} '{files.CertFile}' with {files.KeySetting} '{files.KeyFile}' is not a usable PEM certificate and key: {e.Message}", e);
        }
    }

    private static void RequireFile(string path, string setting)
    {
        if (!File.Exists(path))
            throw new StoreException($"{setting} '{path}' does not exist (or is not a readable file)");
    }
}
