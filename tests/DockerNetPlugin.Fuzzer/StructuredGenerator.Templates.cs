using System.Text.Json.Nodes;

namespace DockerNetPlugin.Fuzzer;

/// <summary>Valid bodies of any method for the mutator, naming this worker's live objects half of the time.</summary>
internal sealed partial class StructuredGenerator
{
    public JsonNode? Template(string path)
    {
        var story = _stories.Count > 0 && _rng.Chance(0.5) ? _rng.Pick(_stories) : null;
        var network = story?.NetworkId ?? EdgeValues.DockerId(_rng);
        var endpoint = story?.Endpoints.Count > 0 ? _rng.Pick(story.Endpoints).Id : EdgeValues.DockerId(_rng);
        var v4 = _subnets.Any(_rng);
        var pool = story?.V4;
        var poolId = pool?.PoolId ?? "dnp-local/" + v4;
        var cidr = pool?.Cidr ?? v4;
        var address = $"{SubnetPlan.Nth(cidr, 3)}/{SubnetPlan.PrefixOf(cidr)}";
        var gateway = $"{SubnetPlan.Nth(cidr, 1)}/{SubnetPlan.PrefixOf(cidr)}";
        return path switch
        {
            PluginApi.CreateNetwork => RequestBodies.CreateNetwork(network,
                RequestBodies.NetworkOptions(new JsonObject { ["dnp.vni"] = "6000", ["com.docker.network.driver.mtu"] = "1400" }, true, false),
                new JsonArray(RequestBodies.IpamData("dnp-local", cidr, gateway)), new JsonArray()),
            PluginApi.DeleteNetwork or PluginApi.FreeNetwork => RequestBodies.NetworkOnly(network),
            PluginApi.AllocateNetwork => RequestBodies.AllocateNetwork(network, new JsonObject { ["dnp.vni"] = "5000" }),
            PluginApi.GwAllocCheck => RequestBodies.GwAllocCheck(RequestBodies.NetworkOptions(new JsonObject(), null, false)),
            PluginApi.CreateEndpoint => RequestBodies.CreateEndpoint(network, endpoint, address, string.Empty, EdgeValues.Mac(_rng)),
            PluginApi.Join => RequestBodies.Join(network, endpoint, "/var/run/docker/netns/" + _rng.Hex(12)),
            PluginApi.ProgramExternal => RequestBodies.ExternalConnectivity(network, endpoint),
            PluginApi.DeleteEndpoint or PluginApi.Leave or PluginApi.EndpointOperInfo or PluginApi.RevokeExternal => RequestBodies.Endpoint(network, endpoint),
            PluginApi.DiscoverNew or PluginApi.DiscoverDelete => RequestBodies.Discovery(1, "192.168.77.13"),
            PluginApi.RequestPool => RequestBodies.RequestPool("dnp-local", cidr, string.Empty, new JsonObject(), false),
            PluginApi.ReleasePool => RequestBodies.ReleasePool(poolId),
            PluginApi.RequestAddress => RequestBodies.RequestAddress(poolId, _rng.Chance(0.5) ? string.Empty : address.Split('/')[0], new JsonObject()),
            PluginApi.ReleaseAddress => RequestBodies.ReleaseAddress(poolId, address.Split('/')[0]),
            _ => new JsonObject(), // Activate and the capability calls take no body; mutate an empty object
        };
    }
}
