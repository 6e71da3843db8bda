using System.Globalization;
using DockerNetPlugin.Ipam;
using DockerNetPlugin.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using J = DockerNetPlugin.Protocol.PluginJsonContext;

namespace DockerNetPlugin.Host;

/// <summary>The <c>/IpamDriver.*</c> protocol (remote-api.md §4), mapped onto the cluster IPAM; errors use <c>Error</c>.</summary>
internal static class IpamDriverEndpoints
{
    private static readonly EmptyResponse Empty = new();
    private static readonly IReadOnlyDictionary<string, string> NoOptions = new Dictionary<string, string>();

    public static void MapIpamDriver(this IEndpointRouteBuilder app, PluginCall call, PluginRuntime runtime)
    {
        app.MapPost("/IpamDriver.GetCapabilities", http => call.HandleAsync(http, Subsystem.IpamDriver,
            J.Default.EmptyResponse, J.Default.IpamCapabilitiesResponse,
            PluginCall.Always<EmptyResponse, IpamCapabilitiesResponse>(new IpamCapabilitiesResponse(RequiresMacAddress: false, RequiresRequestReplay: false))));

        app.MapPost("/IpamDriver.GetDefaultAddressSpaces", http => call.HandleAsync(http, Subsystem.IpamDriver,
            J.Default.EmptyResponse, J.Default.AddressSpacesResponse,
            PluginCall.Always<EmptyResponse, AddressSpacesResponse>(new AddressSpacesResponse(AddressSpaces.Default.Local, AddressSpaces.Default.Global))));

        app.MapPost("/IpamDriver.RequestPool", http => call.HandleAsync(http, Subsystem.IpamDriver,
            J.Default.RequestPoolRequest, J.Default.RequestPoolResponse, async (request, ct) => await RequestPoolAsync(runtime, request, ct).ConfigureAwait(false)));

        app.MapPost("/IpamDriver.ReleasePool", http => call.HandleAsync(http, Subsystem.IpamDriver,
            J.Default.ReleasePoolRequest, J.Default.EmptyResponse, async (request, ct) =>
            {
                if (!string.IsNullOrEmpty(request?.PoolId))
                    await runtime.WithIpamAsync((ipam, bounded) => ipam.ReleasePoolAsync(request.PoolId, bounded), ct).ConfigureAwait(false);
                return Empty;
            }));

        app.MapPost("/IpamDriver.RequestAddress", http => call.HandleAsync(http, Subsystem.IpamDriver,
            J.Default.RequestAddressRequest, J.Default.RequestAddressResponse, async (request, ct) => await RequestAddressAsync(runtime, request, ct).ConfigureAwait(false)));

        app.MapPost("/IpamDriver.ReleaseAddress", http => call.HandleAsync(http, Subsystem.IpamDriver,
            J.Default.ReleaseAddressRequest, J.Default.EmptyResponse, async (request, ct) =>
            {
                if (!string.IsNullOrEmpty(request?.PoolId) && !string.IsNullOrEmpty(request.Address))
                    await runtime.WithIpamAsync((ipam, bounded) => ipam.ReleaseAddressAsync(request.PoolId, request.Address, bounded), ct).ConfigureAwait(false);
                return Empty;
            }));
    }

    private static async Task<RequestPoolResponse> RequestPoolAsync(PluginRuntime runtime, RequestPoolRequest? request, CancellationToken ct)
    {
        var r = RequestMapper.Require(request, "RequestPool");
        var pool = await runtime.WithIpamAsync(Allocate, ct).ConfigureAwait(false);
        return new RequestPoolResponse(pool.PoolId, pool.Pool.ToString(), pool.Data);

        Task<PoolAllocation> Allocate(IpamService ipam, CancellationToken bounded) =>
            ipam.RequestPoolAsync(new PoolRequest(r.AddressSpace ?? string.Empty, NullIfEmpty(r.Pool), NullIfEmpty(r.SubPool), r.Options ?? NoOptions, r.V6), bounded);
    }

    private static async Task<RequestAddressResponse> RequestAddressAsync(PluginRuntime runtime, RequestAddressRequest? request, CancellationToken ct)
    {
        var r = RequestMapper.Require(request, "RequestAddress");
        if (string.IsNullOrEmpty(r.PoolId))
            throw new BadRequestException("RequestAddress: PoolID is missing");
        var address = await runtime.WithIpamAsync(Allocate, ct).ConfigureAwait(false);
        if (runtime.Names is not null)
            runtime.NameHints.Remember(address.Address.ToString(), r.Options);
        return new RequestAddressResponse($"{address.Address}/{address.PrefixLength.ToString(CultureInfo.InvariantCulture)}", address.Data);

        Task<AddressAllocation> Allocate(IpamService ipam, CancellationToken bounded) =>
            ipam.RequestAddressAsync(r.PoolId, NullIfEmpty(r.Address), r.Options ?? NoOptions, bounded);
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
