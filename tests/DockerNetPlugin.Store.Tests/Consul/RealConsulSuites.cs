using System.Collections;
using DockerNetPlugin.Store.Consul;
using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Consul;

/// <summary>
/// The conformance suites against a real Consul at DNP_TEST_CONSUL_ADDR. These classes are internal on purpose:
/// xunit discovers only public classes, so they run only through <see cref="ConsulRealServerTests"/>, which
/// executes them when the variable is set.
/// </summary>
internal static class RealConsul
{
    public const string Variable = "DNP_TEST_CONSUL_ADDR";

    public static string? Address => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } a ? a : null;

    /// <summary>Options as the product builds them, with CONSUL_HTTP_ADDR taken from DNP_TEST_CONSUL_ADDR (token, TLS from the environment).</summary>
    public static ConsulOptions Options()
    {
        var environment = new Hashtable(Environment.GetEnvironmentVariables()) { ["CONSUL_HTTP_ADDR"] = Address };
        return ConsulOptions.FromUriAndEnvironment(new Uri("consul://"), environment);
    }

    public static Task<IKvStore> OpenAsync() => ConsulKvStore.ConnectAsync(Options(), null, CancellationToken.None);

    /// <summary>Destroys a session behind its owner's back, as an operator would.</summary>
    public static async Task DestroySessionAsync(string id)
    {
        var options = Options();
        using var http = new HttpClient { BaseAddress = options.Address };
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v1/session/destroy/" + id);
        if (options.Token is not null)
            request.Headers.Add("X-Consul-Token", options.Token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}

internal sealed class RealConsulCoreSuite : KvStoreConformanceTests
{
    protected override bool SlowConsumerGetsResync => false;

    protected override Task<IKvStore> CreateStoreAsync() => RealConsul.OpenAsync();
}

internal sealed class RealConsulLeaseSuite : KvStoreLeaseConformanceTests
{
    /// <summary>Consul refuses session TTLs below 10 s; leases are asked for twice that.</summary>
    protected override TimeSpan LeaseTtl => TimeSpan.FromSeconds(20);

    protected override TimeSpan Patience => TimeSpan.FromSeconds(60);

    protected override Task<IKvStore> CreateStoreAsync() => RealConsul.OpenAsync();

    protected override Task StopKeepAliveAsync(ILease lease) => ConsulTestServer.StopRenewalsAsync(lease);

    protected override Task RevokeBehindOwnersBackAsync(ILease lease) => RealConsul.DestroySessionAsync(lease.Id);
}
