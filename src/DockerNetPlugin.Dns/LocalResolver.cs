using System.Net;
using DockerNetPlugin.Dns.Wire;

namespace DockerNetPlugin.Dns;

/// <summary>What the name table says about a question.</summary>
internal enum LocalOutcome
{
    /// <summary>Not a name of the asker's networks: forward it.</summary>
    NotOurs,

    /// <summary>Answered with records.</summary>
    Answered,

    /// <summary>Our name, but no record of the asked type: NOERROR without data (REFUSED or SERVFAIL would break busybox nslookup).</summary>
    NoData,
}

/// <summary>Answers a question from the networks an asker may see, the way Docker's embedded resolver does.</summary>
internal static class LocalResolver
{
    /// <summary>
    /// Resolves <paramref name="query"/> against <paramref name="view"/> and appends the records to <paramref name="answers"/>.
    /// Names are tried as Docker's <c>Sandbox.ResolveName</c> does (moby daemon/libnetwork/sandbox.go): the whole name
    /// on every network, then for <c>a.b.c</c> the name <c>a.b</c> on network <c>c</c>, then <c>a</c> on network <c>b.c</c>;
    /// the first network that knows the name answers all of its addresses (an alias held by several containers).
    /// PTR names of overlay addresses answer <c>container.network</c> (moby <c>Network.ResolveIP</c>).
    /// </summary>
    public static LocalOutcome Resolve(DnsQuery query, IReadOnlyList<NetworkView> view, List<DnsAnswer> answers)
    {
        if (view.Count == 0 || !query.NameIsHostname || query.Name.Length == 0)
        {
            return LocalOutcome.NotOurs;
        }

        if (query.QType == DnsType.PTR && ReverseName.TryParse(query.Name, out var address))
        {
            foreach (var network in view)
            {
                if (network.FindPointer(address!) is { } target)
                {
                    answers.Add(DnsAnswer.ForPointer(target));
                    return LocalOutcome.Answered;
                }
            }

            return LocalOutcome.NotOurs;
        }

        var set = FindName(query.Name, view);
        if (set is null)
        {
            return LocalOutcome.NotOurs;
        }

        var addresses = query.QType switch
        {
            DnsType.A => set.V4,
            DnsType.AAAA => set.V6,
            _ => [],
        };
        if (addresses.Count == 0)
        {
            return LocalOutcome.NoData;
        }

        // Docker shuffles too, so clients that take the first address spread over an alias's containers.
        var shuffled = addresses.ToArray();
        Random.Shared.Shuffle(shuffled);
        foreach (var a in shuffled)
        {
            answers.Add(DnsAnswer.ForAddress(a));
        }

        return LocalOutcome.Answered;
    }

    private static AddressSet? FindName(string name, IReadOnlyList<NetworkView> view)
    {
        foreach (var network in view)
        {
            if (network.Find(name) is { } set)
            {
                return set;
            }
        }

        for (var dot = name.LastIndexOf('.'); dot > 0; dot = name.LastIndexOf('.', dot - 1))
        {
            var prefix = name[..dot];
            var networkName = name[(dot + 1)..];
            foreach (var network in view)
            {
                if (network.Name is not null && string.Equals(network.Name, networkName, StringComparison.OrdinalIgnoreCase) && network.Find(prefix) is { } set)
                {
                    return set;
                }
            }
        }

        return null;
    }
}
