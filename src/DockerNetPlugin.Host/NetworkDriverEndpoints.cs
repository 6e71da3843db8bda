using DockerNetPlugin.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using J = DockerNetPlugin.Protocol.PluginJsonContext;

namespace DockerNetPlugin.Host;

/// <summary>The <c>/NetworkDriver.*</c> protocol (remote-api.md §2), mapped onto the overlay driver.</summary>
internal static class NetworkDriverEndpoints
{
    private static readonly EmptyResponse Empty = new();

    /// <summary>AllocateNetwork (swarm managers only): echo the options so they reach every node.</summary>
    private static Task<AllocateNetworkResponse> EchoOptions(AllocateNetworkRequest? request, CancellationToken ct) =>
        Task.FromResult(new AllocateNetworkResponse(request?.Options ?? new Dictionary<string, string>()));

    public static void MapNetworkDriver(this IEndpointRouteBuilder app, PluginCall call, PluginRuntime runtime)
    {
        app.MapPost("/Plugin.Activate", http => call.ConstantAsync(http,
            new ActivateResponse(["NetworkDriver", "IpamDriver"]), J.Default.ActivateResponse));

        app.MapPost("/NetworkDriver.GetCapabilities", http => call.ConstantAsync(http,
            new NetworkCapabilitiesResponse("local", "global", GwAllocChecker: false), J.Default.NetworkCapabilitiesResponse));

        app.MapPost("/NetworkDriver.GwAllocCheck", http => call.ConstantAsync(http,
            new GwAllocCheckResponse(SkipIPv4: false, SkipIPv6: false), J.Default.GwAllocCheckResponse));

        app.MapPost("/NetworkDriver.CreateNetwork", http => call.HandleAsync(http, Subsystem.NetworkDriver,
            J.Default.CreateNetworkRequest, J.Default.EmptyResponse, async (request, ct) =>
            {
                var creation = RequestMapper.ToNetworkCreation(request);
                await (await runtime.DriverAsync(ct).ConfigureAwait(false)).CreateNetworkAsync(creation, ct).ConfigureAwait(false);
                return Empty;
            }));

        app.MapPost("/NetworkDriver.DeleteNetwork", http => call.HandleAsync(http, Subsystem.NetworkDriver,
            J.Default.NetworkRequest, J.Default.EmptyResponse, async (request, ct) =>
            {
                if (request?.NetworkId is null)
                    return Empty; // a retried teardown with an empty body
                var id = RequestMapper.RequireId(request.NetworkId, "DeleteNetwork", "NetworkID");
                await (await runtime.DriverAsync(ct).ConfigureAwait(false)).DeleteNetworkAsync(id, ct).ConfigureAwait(false);
                return Empty;
            }));

        app.MapPost("/NetworkDriver.AllocateNetwork", http => call.HandleAsync(http, Subsystem.NetworkDriver,
            J.Default.AllocateNetworkRequest, J.Default.AllocateNetworkResponse, EchoOptions));

        app.MapPost("/NetworkDriver.FreeNetwork", http => call.HandleAsync(http, Subsystem.NetworkDriver,
            J.Default.NetworkRequest, J.Default.EmptyResponse, PluginCall.Always<NetworkRequest, EmptyResponse>(Empty)));

        app.MapPost("/NetworkDriver.CreateEndpoint", http => call.HandleAsync(http, Subsystem.NetworkDriver,
            J.Default.CreateEndpointRequest, J.Default.CreateEndpointResponse, async (request, ct) =>
            {
                var creation = RequestMapper.ToEndpointCreation(request);
                creation = creation with { ContainerName = runtime.NameHints.Take(creation.IPv4?.Address, creation.IPv6?.Address) };
                var created = await (await runtime.DriverAsync(ct).ConfigureAwait(false)).CreateEndpointAsync(creation, ct).ConfigureAwait(false);
                return new CreateEndpointResponse(created.MacToReport is null ? null
                    : new EndpointInterface(null, null, DockerNetPlugin.Netlink.MacText.Format(created.MacToReport)));
            }));

        app.MapPost("/NetworkDriver.DeleteEndpoint", http => call.HandleAsync(http, Subsystem.NetworkDriver,
            J.Default.EndpointRequest, J.Default.EmptyResponse, async (request, ct) =>
            {
                if (RequestMapper.EndpointIds(request?.NetworkId, request?.EndpointId, "DeleteEndpoint") is { } ids)
                    await (await runtime.DriverAsync(ct).ConfigureAwait(false)).DeleteEndpointAsync(ids.NetworkId, ids.EndpointId, ct).ConfigureAwait(false);
                return Empty;
            }));

        app.MapPost("/NetworkDriver.Join", http => call.HandleAsync(http, Subsystem.NetworkDriver,
            J.Default.JoinRequest, J.Default.JoinResponse, async (request, ct) =>
            {
                var r = RequestMapper.Require(request, "Join");
                var networkId = RequestMapper.RequireId(r.NetworkId, "Join", "NetworkID");
                var endpointId = RequestMapper.RequireId(r.EndpointId, "Join", "EndpointID");
                var joined = await (await runtime.DriverAsync(ct).ConfigureAwait(false)).JoinAsync(networkId, endpointId, r.SandboxKey, ct).ConfigureAwait(false);
                // The resolver's address as a connected route (RouteType 1: no next hop) through this interface.
                var routes = joined.ResolverRoute is { } resolver ? new[] { new StaticRoute($"{resolver}/{(resolver.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)}", 1, null) } : null;
                return new JoinResponse(new InterfaceName(joined.SourceInterfaceName, joined.DestinationPrefix), null, null, routes, DisableGatewayService: false);
            }));

        app.MapPost("/NetworkDriver.Leave", http => call.HandleAsync(http, Subsystem.NetworkDriver,
            J.Default.EndpointRequest, J.Default.EmptyResponse, async (request, ct) =>
            {
                if (RequestMapper.EndpointIds(request?.NetworkId, request?.EndpointId, "Leave") is { } ids)
                    await (await runtime.DriverAsync(ct).ConfigureAwait(false)).LeaveAsync(ids.NetworkId, ids.EndpointId, ct).ConfigureAwait(false);
                return Empty;
            }));

        app.MapPost("/NetworkDriver.EndpointOperInfo", http => call.HandleAsync(http, Subsystem.NetworkDriver,
            J.Default.EndpointRequest, J.Default.EndpointOperInfoResponse,
            PluginCall.Always<EndpointRequest, EndpointOperInfoResponse>(new EndpointOperInfoResponse(new Dictionary<string, string>()))));

        // Published ports and NAT are docker_gwbridge's job (Join returns no gateway), so these only acknowledge.
        app.MapPost("/NetworkDriver.ProgramExternalConnectivity", http => call.HandleAsync(http, Subsystem.NetworkDriver,
            J.Default.ExternalConnectivityRequest, J.Default.EmptyResponse, PluginCall.Always<ExternalConnectivityRequest, EmptyResponse>(Empty)));
        app.MapPost("/NetworkDriver.RevokeExternalConnectivity", http => call.HandleAsync(http, Subsystem.NetworkDriver,
            J.Default.ExternalConnectivityRequest, J.Default.EmptyResponse, PluginCall.Always<ExternalConnectivityRequest, EmptyResponse>(Empty)));

        // Swarm node discovery: peers come from the store instead.
        app.MapPost("/NetworkDriver.DiscoverNew", http => call.HandleAsync(http, Subsystem.NetworkDriver,
            J.Default.DiscoveryRequest, J.Default.EmptyResponse, PluginCall.Always<DiscoveryRequest, EmptyResponse>(Empty)));
        app.MapPost("/NetworkDriver.DiscoverDelete", http => call.HandleAsync(http, Subsystem.NetworkDriver,
            J.Default.DiscoveryRequest, J.Default.EmptyResponse, PluginCall.Always<DiscoveryRequest, EmptyResponse>(Empty)));
    }
}
