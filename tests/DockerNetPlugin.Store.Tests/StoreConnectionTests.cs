using System.Collections;
using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Local;

namespace DockerNetPlugin.Store.Tests;

public sealed class StoreConnectionTests
{
    private static readonly Hashtable NoEnv = new();

    [Fact]
    public void Parse_Unset_IsTheEmbeddedDefault()
    {
        var c = StoreConnection.Parse(null, NoEnv);

        Assert.Equal(StoreBackend.File, c.Backend);
        Assert.Equal("/var/lib/dnp", c.Directory);
    }

    [Fact]
    public void FromEnvironment_FileUri_GivesItsDirectory()
    {
        var c = StoreConnection.FromEnvironment(new Hashtable { ["DNP_STORE"] = "file:///srv/dnp%20store" });

        Assert.Equal("/srv/dnp store", c.Directory);
    }

    [Fact]
    public void Parse_EtcdEndpointList_GivesEveryEndpointWithDefaultPort()
    {
        var c = StoreConnection.Parse("etcd://10.0.0.1:2379,etcd-2,[fd00::1]:2380", NoEnv);

        Assert.Equal(StoreBackend.Etcd, c.Backend);
        Assert.Equal(["http://10.0.0.1:2379/", "http://etcd-2:2379/", "http://[fd00::1]:2380/"], c.Etcd!.Endpoints.Select(u => u.ToString()).ToArray());
    }

    [Theory]
    [InlineData("etcds://h:2379")]
    [InlineData("etcd://h:2379?tls=1")]
    [InlineData("etcd://h:2379/?tls=true&cacert=/etc/ca.pem")]
    public void Parse_EtcdWithTls_UsesHttps(string value)
    {
        Assert.All(StoreConnection.Parse(value, NoEnv).Etcd!.Endpoints, u => Assert.Equal("https", u.Scheme));
    }

    [Fact]
    public void Parse_EtcdTlsFilesFromEnvironment_AreUsedAndImplyHttps()
    {
        var c = StoreConnection.Parse("etcd://h:2379", new Hashtable
        {
            ["DNP_ETCD_CACERT"] = "/etc/dnp/ca.pem",
            ["DNP_ETCD_CERT"] = "/etc/dnp/client.pem",
            ["DNP_ETCD_KEY"] = "/etc/dnp/client-key.pem",
        });

        Assert.Equal("https", c.Etcd!.Endpoints[0].Scheme);
        Assert.Equal(("/etc/dnp/ca.pem", "/etc/dnp/client.pem", "/etc/dnp/client-key.pem"), (c.Etcd.CaCertFile, c.Etcd.ClientCertFile, c.Etcd.ClientKeyFile));
    }

    [Fact]
    public void Parse_EtcdTlsFileInUri_WinsOverEnvironment()
    {
        var c = StoreConnection.Parse("etcds://h:2379?cacert=%2Fsrv%2Fca.pem", new Hashtable { ["DNP_ETCD_CACERT"] = "/etc/dnp/ca.pem" });

        Assert.Equal("/srv/ca.pem", c.Etcd!.CaCertFile);
    }

    [Fact]
    public void Parse_EtcdUserInfo_IsUsedButNeverShown()
    {
        var c = StoreConnection.Parse("etcd://alice:s3cr%40t@h:2379", NoEnv);

        Assert.Equal("alice", c.Etcd!.Username);
        Assert.Equal("s3cr@t", c.Etcd.Password);
        Assert.DoesNotContain("s3cr", c.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr", c.Etcd.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EtcdCredentialsFromEnvironment_AreUsed()
    {
        var c = StoreConnection.Parse("etcd://h:2379", new Hashtable { ["DNP_ETCD_USERNAME"] = "bob", ["DNP_ETCD_PASSWORD"] = "pw" });

        Assert.Equal("bob", c.Etcd!.Username);
        Assert.Equal("pw", c.Etcd.Password);
    }

    [Fact]
    public void Parse_Consul_SelectsConsul()
    {
        var c = StoreConnection.Parse("consul://10.0.0.5:8500", NoEnv);

        Assert.Equal(StoreBackend.Consul, c.Backend);
        Assert.Equal(8500, c.ConsulUri!.Port);
        Assert.Equal("10.0.0.5", c.Consul!.Address.Host);
    }

    [Fact]
    public async Task OpenAsync_ConsulConnection_OpensTheConsulBackendWithoutContactingIt()
    {
        await using var store = await StoreFactory.OpenAsync(StoreConnection.Parse("consul://127.0.0.1:1", NoEnv), null, CancellationToken.None);

        Assert.Equal("DockerNetPlugin.Store.Consul", store.GetType().Namespace);
        Assert.Contains("127.0.0.1:1", store.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("var/lib/dnp")]
    [InlineData("http://h:2379")]
    [InlineData("file://relative/dir")]
    [InlineData("etcd://h:99999")]
    [InlineData("etcd://h:2379,")]
    [InlineData("etcd://h:2379?bogus=1")]
    [InlineData("etcd://h:2379/some/path")]
    [InlineData("consul://")]
    [InlineData("consul://h:8500/prefix")]
    [InlineData("etcds://h:2379?cert=/etc/dnp/client.pem")]
    [InlineData("etcd://h:2379?key=/etc/dnp/client-key.pem")]
    [InlineData("etcd://h:2379?tls=0&cacert=/etc/dnp/ca.pem")]
    [InlineData("etcds://h:2379?tls=0")]
    public void Parse_Malformed_ThrowsNamingValueAndExpectedForms(string value)
    {
        var e = Assert.Throws<StoreException>(() => StoreConnection.Parse(value, NoEnv));

        Assert.Contains(value, e.Message, StringComparison.Ordinal);
        Assert.Contains("etcd://HOST:PORT", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedWithPassword_RedactsIt()
    {
        var e = Assert.Throws<StoreException>(() => StoreConnection.Parse("etcd://u:topsecret@h:0", NoEnv));

        Assert.DoesNotContain("topsecret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EtcdPasswordFile_ReadsThePasswordWithoutItsNewline()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "from file: spaces kept \n");
            var c = StoreConnection.Parse("etcd://root@h:2379", new Hashtable { ["DNP_ETCD_PASSWORD_FILE"] = file });

            Assert.Equal("root", c.Etcd!.Username);
            Assert.Equal("from file: spaces kept ", c.Etcd.Password);
            Assert.DoesNotContain("from file", c.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Parse_EtcdPasswordFileMissing_ErrorNamesTheVariableAndPath()
    {
        var e = Assert.Throws<StoreException>(() => StoreConnection.Parse("etcd://root@h:2379",
            new Hashtable { ["DNP_ETCD_USERNAME"] = "root", ["DNP_ETCD_PASSWORD_FILE"] = "/nonexistent/dnp-pw" }));

        Assert.Contains("DNP_ETCD_PASSWORD_FILE '/nonexistent/dnp-pw'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PasswordInUriOrEnvironment_WinsOverTheFile()
    {
        var env = new Hashtable { ["DNP_ETCD_PASSWORD_FILE"] = "/nonexistent/dnp-pw", ["DNP_ETCD_PASSWORD"] = "env-pw" };

        Assert.Equal("env-pw", StoreConnection.Parse("etcd://root@h:2379", env).Etcd!.Password);
        Assert.Equal("uri-pw", StoreConnection.Parse("etcd://root:uri-pw@h:2379", env).Etcd!.Password);
    }

    [Theory]
    [InlineData("etcd://root:topsecret@h:2379", "etcd://root:***@h:2379")]
    [InlineData("etcd://root:top%40secret@h1:2379,h2:2379?tls=1", "etcd://root:***@h1:2379,h2:2379?tls=1")]
    [InlineData("consul://topsecret@h:8500", "consul://***@h:8500")]
    [InlineData("etcd://h:2379", "etcd://h:2379")]
    [InlineData("file:///var/lib/dnp", "file:///var/lib/dnp")]
    public void Redact_HidesPasswordsAndTokens(string value, string expected)
    {
        Assert.Equal(expected, StoreConnection.Redact(value));
    }

    [Theory]
    [InlineData("consul://u:topsecret@h:8500/prefix")]
    [InlineData("consul://topsecret@h:8500")]
    [InlineData("etcd://u:topsecret@h:2379/path")]
    [InlineData("etcd://u:topsecret@h:2379?bogus=1")]
    public void Parse_InvalidUriCarryingASecret_ErrorDoesNotShowIt(string value)
    {
        var e = Assert.Throws<StoreException>(() => StoreConnection.Parse(value, NoEnv));

        Assert.DoesNotContain("topsecret", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_FileConnection_OpensTheEmbeddedStore()
    {
        var dir = Local.FileStoreHarness.NewTempDirectory();
        try
        {
            await using var store = await StoreFactory.OpenAsync(StoreConnection.Parse($"file://{dir}", NoEnv), null, CancellationToken.None);

            Assert.IsType<FileKvStore>(store);
            Assert.True(Directory.Exists(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
