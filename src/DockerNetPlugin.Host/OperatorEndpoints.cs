using DockerNetPlugin.Driver.Liveness;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DockerNetPlugin.Contract;
using DockerNetPlugin.Driver;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Local;
using DockerNetPlugin.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DockerNetPlugin.Host;

/// <summary>
/// The read-only operator API on the plugin socket, for the <c>dnp</c> CLI and scripts: <c>GET /dnp/v1/status</c>,
/// <c>/dnp/v1/networks</c>, <c>/dnp/v1/networks/{net}/peers</c>, <c>/dnp/v1/netns</c>, <c>/dnp/v1/names[?network=NET]</c>, and <c>dnp doctor</c>'s
/// <c>GET /dnp/v1/doctor</c> (drift between kernel, store and Docker) and <c>POST /dnp/v1/doctor/repair</c> (repair,
/// then check again), and <c>dnp forget-host</c>'s <c>POST /dnp/v1/hosts/{host}/forget</c>. Errors are
/// <c>{"error": …}</c> with 503 while the driver starts, 404 for an unknown network, 400/409 for a request refused
/// (e.g. forgetting a live host) and 502 when the store cannot be read.
/// </summary>
internal static class OperatorEndpoints
{
    private const string Prefix = OperatorApi.Prefix;

    internal static void MapOperator(this IEndpointRouteBuilder app, PluginRuntime runtime)
    {
        app.MapGet(Prefix + "/status", http => AnswerAsync(http, runtime, OperatorJsonContext.Default.StatusView, Status(runtime)));
        app.MapGet(Prefix + "/names", http => AnswerAsync(http, runtime, OperatorJsonContext.Default.NamesView, Names(runtime)));
        app.MapGet(Prefix + "/networks", http => AnswerAsync(http, runtime, OperatorJsonContext.Default.NetworksView, NetworksAsync));
        app.MapGet(Prefix + "/networks/{net}/peers", http => AnswerAsync(http, runtime, OperatorJsonContext.Default.PeersView, PeersAsync));
        app.MapGet(Prefix + "/netns", http => AnswerAsync(http, runtime, OperatorJsonContext.Default.NetnsView, NetnsAsync));
        app.MapGet(Prefix + "/doctor", http => AnswerAsync(http, runtime, OperatorJsonContext.Default.DriftReportView, Doctor(runtime, repair: false)));
        app.MapPost(Prefix + "/doctor/repair", http => AnswerAsync(http, runtime, OperatorJsonContext.Default.DriftReportView, Doctor(runtime, repair: true)));
        app.MapPost(Prefix + "/hosts/{host}/forget", http => AnswerAsync(http, runtime, OperatorJsonContext.Default.ForgetHostView, ForgetHost(runtime)));
    }

    /// <summary>Runs <paramref name="build"/> once the driver is up and writes its answer; null means "no such network" (404).</summary>
    private static async Task AnswerAsync<T>(HttpContext http, PluginRuntime runtime, JsonTypeInfo<T> type, Func<HttpContext, OverlayDriver, CancellationToken, Task<T?>> build)
        where T : class
    {
        if (!runtime.IsReady)
        {
            await ErrorAsync(http, StatusCodes.Status503ServiceUnavailable, "dnp is still starting").ConfigureAwait(false);
            return;
        }
        T? value;
        try
        {
            var driver = await runtime.DriverAsync(http.RequestAborted).ConfigureAwait(false);
            value = await build(http, driver, http.RequestAborted).ConfigureAwait(false);
        }
        catch (StoreException e)
        {
            await ErrorAsync(http, StatusCodes.Status502BadGateway, $"the store cannot be read: {e.Message}").ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (e is InvalidRequestException or Ipam.InvalidIpamRequestException)
        {
            await ErrorAsync(http, StatusCodes.Status400BadRequest, e.Message).ConfigureAwait(false);
            return;
        }
        catch (ConflictException e)
        {
            await ErrorAsync(http, StatusCodes.Status409Conflict, e.Message).ConfigureAwait(false);
            return;
        }
        if (value is null)
        {
            await ErrorAsync(http, StatusCodes.Status404NotFound,
                $"no network '{http.Request.RouteValues["net"]}' here or in the store: give a logical network id or name (see `dnp networks`) or a Docker network id").ConfigureAwait(false);
            return;
        }
        http.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(http.Response.Body, value, type, http.RequestAborted).ConfigureAwait(false);
    }

    private static Task ErrorAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(http.Response.Body, new StatusError(message), OperatorJsonContext.Default.StatusError, http.RequestAborted);
    }

    private static Func<HttpContext, OverlayDriver, CancellationToken, Task<DriftReportView?>> Doctor(PluginRuntime runtime, bool repair) =>
        async (_, _, ct) => (await (await runtime.ReconcilerAsync(ct).ConfigureAwait(false)).RunAsync(repair, ct).ConfigureAwait(false)).ToView();

    /// <summary>The driver refuses a live host before anything is touched; then the IPAM releases what the host held.</summary>
    private static Func<HttpContext, OverlayDriver, CancellationToken, Task<ForgetHostView?>> ForgetHost(PluginRuntime runtime) =>
        async (http, driver, ct) =>
        {
            var host = http.Request.RouteValues["host"] as string ?? "";
            var records = await driver.ForgetHostAsync(host, ct).ConfigureAwait(false);
            var addresses = await (await runtime.IpamAsync(ct).ConfigureAwait(false)).ForgetHostAsync(host, ct).ConfigureAwait(false);
            return new ForgetHostView(host, records.EndpointRecords, records.Memberships, records.NetworksRemoved,
                addresses.Addresses, addresses.PoolHolds, addresses.PoolsRemoved);
        };

    private static Func<HttpContext, OverlayDriver, CancellationToken, Task<StatusView?>> Status(PluginRuntime runtime) =>
        (_, driver, _) => Task.FromResult<StatusView?>(driver.GetStatus().ToView() with { Dns = runtime.Names?.ToView() });

    /// <summary>Every name record, or one network's (by Docker name or logical id); an unknown network lists nothing.</summary>
    private static Func<HttpContext, OverlayDriver, CancellationToken, Task<NamesView?>> Names(PluginRuntime runtime) =>
        (http, driver, _) =>
        {
            var network = http.Request.Query["network"].ToString() is { Length: > 0 } n ? n : null;
            var names = runtime.Names?.List(network).Select(l => new NameView(l.NetworkName, l.LogicalId, l.ContainerName, l.Aliases, l.IPv4, l.IPv6, l.HostId)).ToList() ?? [];
            return Task.FromResult<NamesView?>(new NamesView(driver.HostId, runtime.Names?.Address.ToString(), names));
        };

    private static async Task<NetworksView?> NetworksAsync(HttpContext http, OverlayDriver driver, CancellationToken ct)
    {
        var records = await driver.ListLogicalNetworksAsync(ct).ConfigureAwait(false);
        var live = (await driver.ListHostsAsync(ct).ConfigureAwait(false)).ToDictionary(h => h.HostId, StringComparer.Ordinal);
        var local = driver.ListLocalNetworks();
        var lapsed = driver.LapsedHosts();
        var views = new List<LogicalNetworkView>(records.Count);
        foreach (var record in records)
        {
            var members = await driver.ListMembersAsync(record.Id, ct).ConfigureAwait(false);
            var hosts = members.Select(m => new NetworkHostView(m.HostId, m.DockerNetworkId, live.GetValueOrDefault(m.HostId)?.Locator, live.ContainsKey(m.HostId),
                live.ContainsKey(m.HostId) ? HostStates.Live : lapsed.GetValueOrDefault(m.HostId, HostStates.Down))).ToList();
            views.Add(new LogicalNetworkView(record.Id, record.Name, record.Vni, record.Subnets.Select(s => s.Pool).ToList(), record.Internal,
                record.EnableIPv6, record.CreatedBy, record.Created, record.Removing, hosts, driver.ListPeers(record.Id).Count,
                local.FirstOrDefault(l => l.LogicalId == record.Id)?.DockerNetworkId));
        }
        return new NetworksView(driver.HostId, views);
    }

    /// <summary>Peers come from this host's peer table, so they are answered while the store is down; the store only adds names.</summary>
    private static async Task<PeersView?> PeersAsync(HttpContext http, OverlayDriver driver, CancellationToken ct)
    {
        var net = http.Request.RouteValues["net"] as string ?? "";
        IReadOnlyList<NetworkRecord> records;
        try
        {
            records = await driver.ListLogicalNetworksAsync(ct).ConfigureAwait(false);
        }
        catch (StoreException)
        {
            records = [];
        }
        var local = driver.ListLocalNetworks();
        if (Resolve(net, records, local, driver.ListPeerNetworks()) is not { } logicalId)
            return null;
        var record = records.FirstOrDefault(r => r.Id == logicalId);
        var here = local.FirstOrDefault(l => l.LogicalId == logicalId);
        var lapsed = driver.LapsedHosts();
        var peers = driver.ListPeers(logicalId)
            .Select(p => new PeerView(p.EndpointId, p.HostId, p.IPv4, p.IPv6, p.Mac, p.Locator, p.HostId == driver.HostId,
                lapsed.GetValueOrDefault(p.HostId, HostStates.Live))).ToList();
        return new PeersView(logicalId, record?.Name, record?.Vni ?? here?.Vni, here?.DockerNetworkId, peers);
    }

    /// <summary>A logical id, a network name from the store, or a Docker network id of this host (or an unambiguous prefix of one).</summary>
    private static string? Resolve(string net, IReadOnlyList<NetworkRecord> records, IReadOnlyList<LocalNetwork> local, IReadOnlyList<string> peerNetworks)
    {
        if (net.Length == 0)
            return null;
        if (records.Any(r => r.Id == net) || local.Any(l => l.LogicalId == net) || peerNetworks.Contains(net, StringComparer.Ordinal))
            return net;
        var named = records.Where(r => r.Name == net).ToList();
        if (named.Count == 1)
            return named[0].Id;
        var docker = local.Where(l => l.DockerNetworkId.StartsWith(net, StringComparison.Ordinal)).Select(l => l.LogicalId).Distinct(StringComparer.Ordinal).ToList();
        return docker.Count == 1 ? docker[0] : null;
    }

    private static Task<NetnsView?> NetnsAsync(HttpContext http, OverlayDriver driver, CancellationToken ct)
    {
        var entries = driver.ListLocalNetworks()
            .GroupBy(n => n.SandboxName, StringComparer.Ordinal)
            .Select(g => new NetnsEntryView(g.Key, g.First().LogicalId, g.First().Vni, g.Select(n => n.DockerNetworkId).ToList(),
                g.Any(n => driver.IsSandboxOpen(n.DockerNetworkId)), g.Select(n => driver.SandboxGraceUntil(n.DockerNetworkId)).Max()))
            .ToList();
        return Task.FromResult<NetnsView?>(new NetnsView(driver.NetnsDirectory, entries));
    }
}
