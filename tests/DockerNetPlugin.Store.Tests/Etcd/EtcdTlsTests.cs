using System.Collections;
using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>
/// etcd over TLS on a real etcd that requires client certificates: the <c>etcds://…?cacert=&amp;cert=&amp;key=</c> form,
/// and the failures an operator can make (wrong CA, no client certificate, bad file paths), each a clear error
/// naming the store address or the setting and file, never the password.
/// </summary>
[Collection(EtcdTlsCollection.Name)]
public sealed class EtcdTlsTests(EtcdTlsServerFixture etcd)
{
    private const string Password = "etcd-tls-pw-5c1e";
    private static readonly CancellationToken Ct = CancellationToken.None;

    private string Address => etcd.ClientUrl.GetLeftPart(UriPartial.Authority);

    [Fact]
    public async Task OpenAsync_EtcdsUriWithCaAndClientCertificate_WritesAndWatches()
    {
        await using var store = await OpenAsync(Uri(etcd.Pki.CaFile, etcd.Pki.ClientCertFile, etcd.Pki.ClientKeyFile));
        var start = await store.ListAsync("tls/uri/", Ct);
        await using var probe = WatchProbe.Start(store, "tls/uri/", start.Revision, TimeSpan.FromSeconds(15));

        await store.PutAsync("tls/uri/k", "v"u8.ToArray(), null, Ct);

        await probe.UntilAsync(s => s.ContainsKey("tls/uri/k"), "the put made over TLS");
        Assert.Contains(Address, store.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_ServerCertificateFromAnotherCa_ThrowsTlsErrorNamingAddressAndCaFileButNotPassword()
    {
        var logs = new RecordingLoggerFactory();
        await using var store = await OpenAsync(Uri(etcd.Pki.OtherCaFile, etcd.Pki.ClientCertFile, etcd.Pki.ClientKeyFile, $"root:{Password}@"), logs);

        var e = await Assert.ThrowsAsync<StoreTlsException>(() => store.GetAsync("tls/k", Ct));

        Assert.Contains(Address, e.Message, StringComparison.Ordinal);
        Assert.Contains("not signed by the CA", e.Message, StringComparison.Ordinal);
        Assert.Contains(etcd.Pki.OtherCaFile, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetAsync_NoClientCertificate_ThrowsTlsErrorSayingOneIsNeeded()
    {
        await using var store = await OpenAsync(Uri(etcd.Pki.CaFile, null, null));

        var e = await Assert.ThrowsAsync<StoreTlsException>(() => store.PutAsync("tls/k", "v"u8.ToArray(), null, Ct));

        Assert.Contains(Address, e.Message, StringComparison.Ordinal);
        Assert.Contains("requires a client certificate", e.Message, StringComparison.Ordinal);
        Assert.Contains("DNP_ETCD_CERT", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cacert", "DNP_ETCD_CACERT")]
    [InlineData("cert", "DNP_ETCD_CERT")]
    [InlineData("key", "DNP_ETCD_KEY")]
    public async Task OpenAsync_TlsFileMissing_ThrowsNamingSettingAndPath(string option, string variable)
    {
        var missing = Path.Combine(etcd.Pki.Directory, "missing.pem");
        var value = Uri(
            option == "cacert" ? missing : etcd.Pki.CaFile,
            option == "cert" ? missing : etcd.Pki.ClientCertFile,
            option == "key" ? missing : etcd.Pki.ClientKeyFile);

        var e = await Assert.ThrowsAsync<StoreException>(() => OpenAsync(value));

        Assert.Contains(variable, e.Message, StringComparison.Ordinal);
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_CaFileWithoutCertificate_ThrowsNamingIt()
    {
        var junk = Path.Combine(etcd.Pki.Directory, "junk-ca.pem");
        await File.WriteAllTextAsync(junk, "not a certificate\n");

        var e = await Assert.ThrowsAsync<StoreException>(() => OpenAsync(Uri(junk, etcd.Pki.ClientCertFile, etcd.Pki.ClientKeyFile)));

        Assert.Contains(junk, e.Message, StringComparison.Ordinal);
        Assert.Contains("holds no PEM certificate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_KeyOfAnotherCertificate_ThrowsNamingBothFiles()
    {
        var e = await Assert.ThrowsAsync<StoreException>(() => OpenAsync(Uri(etcd.Pki.CaFile, etcd.Pki.ClientCertFile, etcd.Pki.ServerKeyFile)));

        Assert.Contains(etcd.Pki.ClientCertFile, e.Message, StringComparison.Ordinal);
        Assert.Contains(etcd.Pki.ServerKeyFile, e.Message, StringComparison.Ordinal);
    }

    private string Uri(string ca, string? cert, string? key, string userInfo = "")
    {
        var value = $"etcds://{userInfo}127.0.0.1:{etcd.ClientUrl.Port}?cacert={System.Uri.EscapeDataString(ca)}";
        if (cert is not null)
            value += $"&cert={System.Uri.EscapeDataString(cert)}";
        if (key is not null)
            value += $"&key={System.Uri.EscapeDataString(key)}";
        return value;
    }

    private static Task<IKvStore> OpenAsync(string value, RecordingLoggerFactory? logs = null) =>
        StoreFactory.OpenAsync(StoreConnection.Parse(value, new Hashtable()), logs, Ct);
}
