using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DockerNetPlugin.Store.Tests.Tls;

/// <summary>
/// A throwaway PKI written as PEM files to a temp dir (deleted on dispose): a CA, a server certificate for
/// 127.0.0.1/localhost signed by it, a client certificate without a CN (the etcd gateway refuses CN auth,
/// kv.md §2.9) and an unrelated CA for wrong-trust tests. ECDSA P-256, valid from yesterday to tomorrow.
/// </summary>
public sealed class TestPki : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>Generates the certificates and writes them (usable as an xunit class fixture).</summary>
    public TestPki()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"dnpt-pki-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        System.IO.Directory.CreateDirectory(Directory);
        try
        {
            Write();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Directory { get; }

    /// <summary>The CA that signed the server and client certificates.</summary>
    public X509Certificate2 Ca { get; private set; } = null!;

    public string CaFile => Path.Combine(Directory, "ca.pem");
    public string ServerCertFile => Path.Combine(Directory, "server.pem");
    public string ServerKeyFile => Path.Combine(Directory, "server-key.pem");
    public string ClientCertFile => Path.Combine(Directory, "client.pem");
    public string ClientKeyFile => Path.Combine(Directory, "client-key.pem");

    /// <summary>A CA that signed nothing here: trusting it instead of <see cref="CaFile"/> must fail the handshake.</summary>
    public string OtherCaFile => Path.Combine(Directory, "other-ca.pem");

    /// <summary>The server certificate with its key, for in-process servers (Kestrel).</summary>
    public X509Certificate2 LoadServerCertificate() =>
        X509CertificateLoader.LoadPkcs12(X509Certificate2.CreateFromPemFile(ServerCertFile, ServerKeyFile).Export(X509ContentType.Pkcs12), null);

    /// <summary>True when <paramref name="certificate"/> chains to <see cref="Ca"/> (for servers that check client certificates).</summary>
    public bool IsSignedByCa(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public void Dispose()
    {
        Ca?.Dispose();
        if (System.IO.Directory.Exists(Directory))
            System.IO.Directory.Delete(Directory, recursive: true);
    }

    private void Write()
    {
        Ca = NewCa("CN=dnp test CA");
        File.WriteAllText(CaFile, Ca.ExportCertificatePem());
        using (var other = NewCa("CN=dnp unrelated CA"))
            File.WriteAllText(OtherCaFile, other.ExportCertificatePem());

        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        // The server certificate also allows client auth: etcd's gateway dials its own gRPC port with it.
        IssueLeaf("CN=dnp test server", names.Build(), [ServerAuth, ClientAuth], ServerCertFile, ServerKeyFile);
        IssueLeaf("O=dnp test client", null, [ClientAuth], ClientCertFile, ClientKeyFile);
    }

    private static X509Certificate2 NewCa(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private void IssueLeaf(string subject, X509Extension? alternativeNames, Oid[] usages, string certFile, string keyFile)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. usages], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, true, false));
        if (alternativeNames is not null)
            request.CertificateExtensions.Add(alternativeNames);
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F; // a positive serial number (Go refuses negative ones)
        using var cert = request.Create(Ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(23), serial);
        File.WriteAllText(certFile, cert.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
