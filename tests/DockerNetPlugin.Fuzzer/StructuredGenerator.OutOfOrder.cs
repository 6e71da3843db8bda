using System.Text.Json.Nodes;

namespace DockerNetPlugin.Fuzzer;

/// <summary>Calls out of Docker's order against a story: too early, repeated, contradicting what was created.</summary>
internal sealed partial class StructuredGenerator
{
    private FuzzRequest OutOfOrder(Story s)
    {
        var endpoint = s.Endpoints.Count > 0 ? _rng.Pick(s.Endpoints) : null;
        var somewhere = SubnetPlan.Nth(s.V4?.Cidr ?? s.V4Subnet, 5) is { } ip ? $"{ip}/{SubnetPlan.PrefixOf(s.V4?.Cidr ?? s.V4Subnet)}" : "10.63.0.5/24";
        switch (_rng.Next(9))
        {
            case 0:
                return Request(PluginApi.Join, RequestBodies.Join(s.NetworkId, endpoint is { Created: false } ? endpoint.Id : EdgeValues.DockerId(_rng), "/var/run/docker/netns/x"), "join before create endpoint");
            case 1:
                return Request(PluginApi.CreateEndpoint, RequestBodies.CreateEndpoint(s.NetworkId, EdgeValues.DockerId(_rng), somewhere, string.Empty, string.Empty),
                    s.NetworkCreated ? "create endpoint with an address IPAM never gave" : "create endpoint before create network");
            case 2 when s.NetworkCreated && !s.NetworkDeleted:
                return Request(PluginApi.DeleteNetwork, RequestBodies.NetworkOnly(s.NetworkId), "delete network with endpoints", v =>
                {
                    if (v.Outcome != Outcome.Success)
                        return;
                    s.NetworkDeleted = true;
                    s.Phase = StoryPhase.Teardown;
                });
            case 3 when s.V4 is { Released: false } pool:
                return Request(PluginApi.ReleasePool, RequestBodies.ReleasePool(pool.PoolId), "release pool while in use", v =>
                {
                    if (v.Outcome != Outcome.Success)
                        return;
                    pool.Released = true;
                    pool.Gateway = null;
                    s.Phase = s.Phase == StoryPhase.Done ? StoryPhase.Done : StoryPhase.Teardown;
                });
            case 4 when s.NetworkCreated:
                var other = new JsonArray(RequestBodies.IpamData(s.AddressSpace, "10.62.0.0/24", "10.62.0.1/24"));
                return Request(PluginApi.CreateNetwork, RequestBodies.CreateNetwork(s.NetworkId, RequestBodies.NetworkOptions(new JsonObject(), null, false), other, new JsonArray()),
                    "create network again with another subnet");
            case 5 when endpoint is { Created: true }:
                return Request(PluginApi.CreateEndpoint, RequestBodies.CreateEndpoint(s.NetworkId, endpoint.Id, somewhere, string.Empty, string.Empty), "create endpoint again with another address");
            case 6 when s.V4 is { Gateway: not null } withGateway:
                return Request(PluginApi.RequestAddress, RequestBodies.RequestAddress(withGateway.PoolId, string.Empty, new JsonObject { ["RequestAddressType"] = GatewayType }), "gateway again");
            case 7 when endpoint is not null:
                return _rng.Chance(0.5)
                    ? Request(PluginApi.Leave, RequestBodies.Endpoint(s.NetworkId, endpoint.Id), "leave out of order")
                    : Request(PluginApi.DeleteEndpoint, RequestBodies.Endpoint(s.NetworkId, endpoint.Id), "delete endpoint out of order", _ =>
                    {
                        endpoint.Deleted |= endpoint.Created;
                        endpoint.Joined = false;
                    });
            case 8 when endpoint is { Joined: true }:
                return Request(PluginApi.Join, RequestBodies.Join(s.NetworkId, endpoint.Id, "/var/run/docker/netns/again"), "join again");
        }
        return Step(s);
    }
}
