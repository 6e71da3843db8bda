using System.Text;
using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Etcd;

namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>
/// etcd with authentication on (its own server, kv.md §2.9 and §4.9 item 27): the right password works,
/// a wrong one is a clear auth error, and a token invalidated by a server restart is renewed transparently.
/// </summary>
public sealed class EtcdAuthTests(EtcdServerFixture etcd) : IClassFixture<EtcdServerFixture>, IAsyncLifetime
{
    private const string Password = "dnpt-root-pw";
    private static readonly CancellationToken Ct = CancellationToken.None;

    public async Task InitializeAsync()
    {
        using var http = new HttpClient { BaseAddress = etcd.ClientUrl };
        // Idempotent setup: the class fixture is shared by this class's tests; after the first, auth is already on.
        if ((await http.PostAsync("/v3/kv/range", Json("""{"key":"YQ=="}"""))).IsSuccessStatusCode)
        {
            foreach (var (path, body) in new[]
            {
                ("/v3/auth/role/add", """{"name":"root"}"""),
                ("/v3/auth/user/add", $$"""{"name":"root","password":"{{Password}}"}"""),
                ("/v3/auth/user/grant", """{"user":"root","role":"root"}"""),
                ("/v3/auth/enable", "{}"),
            })
            {
                var response = await http.PostAsync(path, Json(body));
                Assert.True(response.IsSuccessStatusCode, $"{path}: {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task PutAsync_RightPassword_Works()
    {
        await using var store = await Connect(Password);

        await store.PutAsync("auth/k", "v"u8.ToArray(), null, Ct);

        Assert.Equal("v", Encoding.UTF8.GetString((await store.GetAsync("auth/k", Ct))!.Value.Span));
    }

    [Fact]
    public async Task GetAsync_WrongPassword_ThrowsAuthNamingTheUser()
    {
        await using var store = await Connect("wrong");

        var e = await Assert.ThrowsAsync<StoreAuthException>(() => store.GetAsync("auth/k", Ct));

        Assert.Contains("root", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_NoCredentialsWhileAuthIsOn_ThrowsAuth()
    {
        await using var store = await EtcdKvStore.ConnectAsync(new EtcdOptions { Endpoints = [etcd.ClientUrl] }, null, Ct);

        await Assert.ThrowsAsync<StoreAuthException>(() => store.GetAsync("auth/k", Ct));
    }

    [Fact]
    public async Task GetAsync_TokenInvalidatedByServerRestart_IsRenewedTransparently()
    {
        await using var store = await Connect(Password);
        await store.PutAsync("auth/r", "before"u8.ToArray(), null, Ct);

        await etcd.RestartAsync(); // simple tokens live in the server's memory

        Assert.Equal("before", Encoding.UTF8.GetString((await store.GetAsync("auth/r", Ct))!.Value.Span));
    }

    [Fact]
    public async Task OpenFromEnvironment_PasswordFile_Authenticates_AndNoLogLineOrErrorShowsThePassword()
    {
        var file = Path.GetTempFileName();
        var wrongFile = Path.GetTempFileName();
        var wrong = $"wrong-{Guid.NewGuid():N}";
        using var loggers = new RecordingLoggerFactory();
        try
        {
            await File.WriteAllTextAsync(file, Password + "\n");
            await File.WriteAllTextAsync(wrongFile, wrong);
            var store = etcd.ClientUrl.GetLeftPart(UriPartial.Authority).Replace("http://", "etcd://root@", StringComparison.Ordinal);

            await using (var good = await StoreFactory.OpenFromEnvironmentAsync(
                new System.Collections.Hashtable { ["DNP_STORE"] = store, ["DNP_ETCD_PASSWORD_FILE"] = file }, loggers, Ct))
            {
                await good.PutAsync("auth/file", "ok"u8.ToArray(), null, Ct);
                Assert.Equal("ok", Encoding.UTF8.GetString((await good.GetAsync("auth/file", Ct))!.Value.Span));
            }

            var errors = new List<Exception>();
            var withUri = store.Replace("root@", $"root:{wrong}@", StringComparison.Ordinal);
            foreach (var env in new[]
            {
                new System.Collections.Hashtable { ["DNP_STORE"] = store, ["DNP_ETCD_PASSWORD_FILE"] = wrongFile },
                new System.Collections.Hashtable { ["DNP_STORE"] = withUri },
            })
            {
                errors.Add(await Assert.ThrowsAsync<StoreAuthException>(async () =>
                {
                    await using var bad = await StoreFactory.OpenFromEnvironmentAsync(env, loggers, Ct);
                    await bad.GetAsync("auth/file", Ct);
                }));
            }

            var everything = string.Join("\n", loggers.Lines.Concat(errors.Select(e => e.ToString())));
            Assert.NotEmpty(loggers.Lines);
            Assert.DoesNotContain(Password, everything, StringComparison.Ordinal);
            Assert.DoesNotContain(wrong, everything, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
            File.Delete(wrongFile);
        }
    }

    private async Task<EtcdKvStore> Connect(string password) =>
        await EtcdKvStore.ConnectAsync(new EtcdOptions { Endpoints = [etcd.ClientUrl], Username = "root", Password = password }, null, Ct);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
