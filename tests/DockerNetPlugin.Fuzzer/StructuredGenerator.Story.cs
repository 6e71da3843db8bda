using System.Text.Json.Nodes;

namespace DockerNetPlugin.Fuzzer;

/// <summary>The next call of a story, in Docker's order, and what its reply changes.</summary>
internal sealed partial class StructuredGenerator
{
    private const string GatewayType = "com.docker.network.gateway";

    private FuzzRequest Step(Story s)
    {
        while (true)
        {
            switch (s.Phase)
            {
                case StoryPhase.Pools:
                    if (s.V4 is null)
                        return RequestPool(s, v6: false);
                    if (s.V6Subnet is not null && s.V6 is null && !s.V6Tried)
                        return RequestPool(s, v6: true);
                    s.Phase = StoryPhase.Gateways;
                    continue;
                case StoryPhase.Gateways:
                    if (s.Pools.FirstOrDefault(p => p.Gateway is null && !p.GatewayTried) is { } pool)
                        return Gateway(s, pool);
                    s.Phase = StoryPhase.Network;
                    continue;
                case StoryPhase.Network:
                    return CreateNetwork(s);
                case StoryPhase.Live:
                    if (++s.LiveSteps > s.LiveBudget)
                    {
                        s.Phase = StoryPhase.Teardown;
                        continue;
                    }
                    return Live(s);
                case StoryPhase.Teardown:
                    if (Teardown(s) is { } next)
                        return next;
                    s.Phase = StoryPhase.Done;
                    return Constant();
                default:
                    return Constant();
            }
        }
    }

    private FuzzRequest RequestPool(Story s, bool v6)
    {
        var subnet = v6 ? s.V6Subnet! : s.V4Subnet;
        var subPool = string.Empty;
        if (s.Edgy && !v6 && _rng.Chance(0.3))
            subPool = _rng.Chance(0.7) ? SubnetPlan.Nth(subnet, 128) + "/25" : "192.0.2.0/28";
        var options = s.LogicalName is { } logical ? new JsonObject { ["dnp.network"] = logical } : new JsonObject();
        if (s.Edgy && _rng.Chance(0.2))
            options["user.ipam.option"] = new string('i', _rng.Pick([1000, 300_000, 600_000])); // --ipam-opt k=<huge>
        var body = RequestBodies.RequestPool(s.AddressSpace, subnet, subPool, options, v6);
        return Request(PluginApi.RequestPool, body, $"story pool {subnet}", v =>
        {
            if (v.Outcome == Outcome.Success)
            {
                var pool = new StoryPool(ReplyJson.String(v.Root!.Value, "PoolID")!, ReplyJson.String(v.Root.Value, "Pool")!, v6);
                if (v6)
                    s.V6 = pool;
                else
                    s.V4 = pool;
            }
            else if (v6)
            {
                s.V6Tried = true;
            }
            else
            {
                s.Phase = StoryPhase.Done; // nothing held yet
            }
        });
    }

    private FuzzRequest Gateway(Story s, StoryPool pool)
    {
        var address = _rng.Next(10) switch
        {
            < 5 => string.Empty,
            < 9 => SubnetPlan.Nth(pool.Cidr, 1) ?? string.Empty,
            _ => (s.Edgy ? SubnetPlan.Nth(pool.Cidr, _rng.Chance(0.5) ? 0 : -1) : null) ?? string.Empty,
        };
        var body = RequestBodies.RequestAddress(pool.PoolId, address, new JsonObject { ["RequestAddressType"] = GatewayType });
        return Request(PluginApi.RequestAddress, body, $"gateway of {pool.Cidr}", v =>
        {
            pool.GatewayTried = true;
            if (v.Outcome == Outcome.Success)
                pool.Gateway = ReplyJson.String(v.Root!.Value, "Address");
        });
    }

    private FuzzRequest CreateNetwork(Story s)
    {
        var v4 = new JsonArray(RequestBodies.IpamData(s.AddressSpace, s.V4!.Cidr, s.V4.Gateway));
        var v6 = s.V6 is { } p6 ? new JsonArray(RequestBodies.IpamData(s.AddressSpace, p6.Cidr, p6.Gateway)) : new JsonArray();
        if (s.Edgy && _rng.Chance(0.3))
        {
            switch (_rng.Next(4))
            {
                case 0: v4[0]!["Gateway"] = "192.0.2.1/24"; break; // outside the subnet
                case 1: v4.Add(RequestBodies.IpamData(s.AddressSpace, "10.63.0.0/24", "10.63.0.1/24")); break;
                case 2: v4[0]!.AsObject().Remove("Pool"); break;
                default: v4[0]!["Gateway"] = "not-an-ip"; break;
            }
        }
        JsonNode? isInternal = s.Edgy ? _rng.Pick(EdgeValues.InternalFlags)() : _rng.Chance(0.2) ? true : null;
        var options = RequestBodies.NetworkOptions((JsonObject)s.GenericOptions!.DeepClone(), isInternal, s.V6 is not null);
        return Request(PluginApi.CreateNetwork, RequestBodies.CreateNetwork(s.NetworkId, options, v4, v6), $"create network {s.V4.Cidr}", v =>
        {
            if (v.Outcome == Outcome.Success)
            {
                s.NetworkCreated = true;
                s.Phase = StoryPhase.Live;
                s.LiveBudget = 4 + _rng.Next(30);
            }
            else
            {
                s.Phase = StoryPhase.Teardown;
            }
        });
    }

    private FuzzRequest Live(Story s)
    {
        var alive = s.Endpoints;
        var needV6 = alive.FirstOrDefault(e => s.V6 is not null && e.V4Tried && !e.V6Tried && !e.CreateTried);
        var toCreate = alive.FirstOrDefault(e => e.V4Tried && (s.V6 is null || e.V6Tried) && !e.CreateTried);
        var toJoin = alive.FirstOrDefault(e => e.Created && !e.Joined && !e.Deleted);
        var joined = alive.Where(e => e.Joined).ToList();
        var toDelete = alive.FirstOrDefault(e => e.Created && !e.Deleted);
        var toRelease = alive.FirstOrDefault(e => (e.Deleted || (e.CreateTried && !e.Created)) && (e.V4 ?? e.V6) is not null);
        double[] weights =
        [
            alive.Count < 4 ? 3 : 0,
            needV6 is null ? 0 : 5,
            toCreate is null ? 0 : 5,
            toJoin is null ? 0 : 4,
            joined.Count > 0 ? 1 : 0,
            joined.Count > 0 ? 1.5 : 0,
            toDelete is null ? 0 : 1,
            toRelease is null ? 0 : 4,
        ];
        if (weights.All(w => w <= 0))
        {
            s.Phase = StoryPhase.Teardown;
            return Step(s);
        }
        return _rng.Weighted(weights) switch
        {
            0 => Address(s, NewEndpoint(s), v6: false),
            1 => Address(s, needV6!, v6: true),
            2 => CreateEndpoint(s, toCreate!),
            3 => Join(s, toJoin!),
            4 => Extra(s, _rng.Pick(joined)),
            5 => Leave(s, _rng.Pick(joined)),
            6 => DeleteEndpoint(s, toDelete!),
            _ => Release(s, toRelease!),
        };
    }

    private StoryEndpoint NewEndpoint(Story s)
    {
        var endpoint = new StoryEndpoint(s.Edgy && _rng.Chance(0.2) ? EdgeValues.EdgeId(_rng) : EdgeValues.DockerId(_rng));
        s.Endpoints.Add(endpoint);
        return endpoint;
    }

    private FuzzRequest Address(Story s, StoryEndpoint e, bool v6)
    {
        var pool = v6 ? s.V6! : s.V4!;
        var address = string.Empty;
        if (_rng.Chance(s.Edgy ? 0.5 : 0.1))
        {
            address = _rng.Next(6) switch
            {
                0 => SubnetPlan.Nth(pool.Cidr, 0),
                1 => SubnetPlan.Nth(pool.Cidr, -1),
                2 => pool.Gateway?.Split('/')[0],
                3 => "192.0.2.77",
                4 => SubnetPlan.Nth(pool.Cidr, 2 + _rng.Next(200)),
                _ => v6 ? "10.0.0.1" : "fd00::1",
            } ?? string.Empty;
        }
        var options = _rng.Next(3) switch
        {
            0 => new JsonObject(),
            1 => new JsonObject { ["com.docker.network.endpoint.name"] = "c-" + e.Id[..Math.Min(8, e.Id.Length)] },
            _ => new JsonObject { ["com.docker.network.endpoint.macaddress"] = EdgeValues.Mac(_rng) },
        };
        return Request(PluginApi.RequestAddress, RequestBodies.RequestAddress(pool.PoolId, address, options), $"endpoint address in {pool.Cidr}", v =>
        {
            var value = v.Outcome == Outcome.Success ? ReplyJson.String(v.Root!.Value, "Address") : null;
            if (v6)
            {
                e.V6Tried = true;
                e.V6 = value;
            }
            else
            {
                e.V4Tried = true;
                e.V4 = value;
                if (value is null)
                    s.Endpoints.Remove(e); // holds nothing
            }
        });
    }

    private FuzzRequest CreateEndpoint(Story s, StoryEndpoint e)
    {
        e.Mac = s.Edgy && _rng.Chance(0.4) ? _rng.Pick(EdgeValues.EdgeMacs) : _rng.Chance(0.25) ? EdgeValues.Mac(_rng) : string.Empty;
        var v4 = e.V4 ?? string.Empty;
        if (s.Edgy && _rng.Chance(0.15))
            v4 = _rng.Chance(0.5) ? "10.63.255.7/24" : string.Empty;
        var body = RequestBodies.CreateEndpoint(s.NetworkId, e.Id, v4, e.V6 ?? string.Empty, e.Mac);
        return Request(PluginApi.CreateEndpoint, body, $"create endpoint {v4}", v =>
        {
            e.CreateTried = true;
            e.Created = v.Outcome == Outcome.Success;
        });
    }

    private FuzzRequest Join(Story s, StoryEndpoint e)
    {
        var key = s.Edgy ? _rng.Pick(EdgeValues.SandboxKeys(_rng)) : EdgeValues.SandboxKeys(_rng)[0];
        return Request(PluginApi.Join, RequestBodies.Join(s.NetworkId, e.Id, key), "join", v => e.Joined |= v.Outcome == Outcome.Success);
    }

    private FuzzRequest Extra(Story s, StoryEndpoint e) => _rng.Next(3) switch
    {
        0 => Request(PluginApi.EndpointOperInfo, RequestBodies.Endpoint(s.NetworkId, e.Id), "oper info"),
        1 => Request(PluginApi.ProgramExternal, RequestBodies.ExternalConnectivity(s.NetworkId, e.Id), "program external"),
        _ => Request(PluginApi.RevokeExternal, RequestBodies.Endpoint(s.NetworkId, e.Id), "revoke external"),
    };

    private FuzzRequest Leave(Story s, StoryEndpoint e) =>
        Request(PluginApi.Leave, RequestBodies.Endpoint(s.NetworkId, e.Id), "leave", _ => e.Joined = false);

    private FuzzRequest DeleteEndpoint(Story s, StoryEndpoint e) =>
        Request(PluginApi.DeleteEndpoint, RequestBodies.Endpoint(s.NetworkId, e.Id), "delete endpoint", _ =>
        {
            e.Deleted = true;
            e.Joined = false;
        });

    /// <summary>Releases the endpoint's addresses one by one; the endpoint is forgotten with its last one.</summary>
    private FuzzRequest Release(Story s, StoryEndpoint e)
    {
        var v6 = e.V4 is null;
        var pool = v6 ? s.V6! : s.V4!;
        var address = (v6 ? e.V6! : e.V4!).Split('/')[0];
        return Request(PluginApi.ReleaseAddress, RequestBodies.ReleaseAddress(pool.PoolId, address), $"release {address}", _ =>
        {
            if (v6)
                e.V6 = null;
            else
                e.V4 = null;
            if (e.V4 is null && e.V6 is null)
                s.Endpoints.Remove(e);
        });
    }

    /// <summary>
    /// Teardown as <c>docker rm</c> then <c>docker network rm</c> do it (Leave sometimes skipped, as after a daemon
    /// crash); the network goes either after its IPAM release (Docker's order) or before it.
    /// </summary>
    private FuzzRequest? Teardown(Story s)
    {
        if (s.Endpoints.FirstOrDefault(e => e.Joined) is { } joined)
            return _rng.Chance(0.6) ? Leave(s, joined) : DeleteEndpoint(s, joined);
        if (s.Endpoints.FirstOrDefault(e => e.Created && !e.Deleted) is { } created)
            return DeleteEndpoint(s, created);
        if (s.Endpoints.FirstOrDefault(e => (e.V4 ?? e.V6) is not null) is { } holding)
            return Release(s, holding);
        s.Endpoints.Clear();
        if (s.NetworkBeforeIpam && DeleteNetworkIfCreated(s) is { } delete)
            return delete;
        if (s.Pools.FirstOrDefault(p => p.Gateway is not null) is { } withGateway)
        {
            var gateway = withGateway.Gateway!.Split('/')[0];
            return Request(PluginApi.ReleaseAddress, RequestBodies.ReleaseAddress(withGateway.PoolId, gateway), $"release gateway {gateway}", _ => withGateway.Gateway = null);
        }
        if (s.Pools.FirstOrDefault(p => !p.Released) is { } pool)
            return Request(PluginApi.ReleasePool, RequestBodies.ReleasePool(pool.PoolId), $"release pool {pool.Cidr}", _ => pool.Released = true);
        return DeleteNetworkIfCreated(s);
    }

    private FuzzRequest? DeleteNetworkIfCreated(Story s) => s.NetworkCreated && !s.NetworkDeleted
        ? Request(PluginApi.DeleteNetwork, RequestBodies.NetworkOnly(s.NetworkId), "delete network", _ => s.NetworkDeleted = true)
        : null;
}
