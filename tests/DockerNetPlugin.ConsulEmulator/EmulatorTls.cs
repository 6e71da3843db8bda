using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace DockerNetPlugin.Emulators.Consul;

/// <summary>
/// HTTPS for the emulator: the server certificate (with key), and when <paramref name="AcceptClient"/> is set a
/// client certificate is required and must satisfy it, as Consul does with <c>verify_incoming</c>.
/// </summary>
public sealed record EmulatorTls(X509Certificate2 ServerCertificate, Func<X509Certificate2, bool>? AcceptClient)
{
    internal void Configure(HttpsConnectionAdapterOptions options)
    {
        options.ServerCertificate = ServerCertificate;
        if (AcceptClient is null)
            return;
        options.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
        options.ClientCertificateValidation = (certificate, _, _) => AcceptClient(certificate);
    }
}
