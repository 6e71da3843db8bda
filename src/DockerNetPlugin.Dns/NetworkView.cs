using System.Net;
using DockerNetPlugin.Dns.Wire;

namespace DockerNetPlugin.Dns;

/// <summary>An immutable index of what one network answers: names to addresses and addresses to PTR targets.</summary>
internal sealed class NetworkView
{
    private readonly Dictionary<string, AddressSet> _names;
    private readonly Dictionary<IPAddress, byte[]> _pointers;

    private NetworkView(string id, string? name, Dictionary<string, AddressSet> names, Dictionary<IPAddress, byte[]> pointers)
    {
        Id = id;
        Name = name;
        _names = names;
        _pointers = pointers;
    }

    /// <summary>The network ID.</summary>
    public string Id { get; }

    /// <summary>The Docker network name, null until the integrator sets it (then <c>NAME.NET</c> does not answer).</summary>
    public string? Name { get; }

    /// <summary>Indexes <paramref name="records"/> (all on this network), in a stable order so answers do not depend on arrival order.</summary>
    public static NetworkView Build(string id, string? name, IEnumerable<NameRecord> records)
    {
        var names = new Dictionary<string, AddressSet>(StringComparer.Ordinal);
        var pointers = new Dictionary<IPAddress, byte[]>();
        foreach (var record in records.OrderBy(r => r.ContainerName, StringComparer.Ordinal).ThenBy(r => r.EndpointId, StringComparer.Ordinal))
        {
            foreach (var alias in record.Aliases.Prepend(record.ContainerName).Select(n => n.ToLowerInvariant()).Distinct(StringComparer.Ordinal))
            {
                if (!names.TryGetValue(alias, out var set))
                {
                    set = new AddressSet();
                    names[alias] = set;
                }

                set.Add(record.Ipv4, record.Ipv6);
            }

            var target = DnsName.FromText(name is null ? record.ContainerName : record.ContainerName + "." + name);
            foreach (var address in new[] { record.Ipv4, record.Ipv6 })
            {
                if (address is not null && target is not null)
                {
                    pointers.TryAdd(address, target);
                }
            }
        }

        return new NetworkView(id, name, names, pointers);
    }

    /// <summary>The addresses of a lower-cased name, or null when the network does not know the name.</summary>
    public AddressSet? Find(string name) => _names.GetValueOrDefault(name);

    /// <summary>The PTR target (wire form) of an address on this network, or null.</summary>
    public byte[]? FindPointer(IPAddress address) => _pointers.GetValueOrDefault(address);

    /// <summary>The names this network answers, for operators (<c>dnp names</c>).</summary>
    public IEnumerable<string> Names => _names.Keys;
}

/// <summary>The distinct IPv4 and IPv6 addresses one name answers on one network.</summary>
internal sealed class AddressSet
{
    private readonly List<IPAddress> _v4 = [];
    private readonly List<IPAddress> _v6 = [];

    /// <summary>IPv4 addresses (A).</summary>
    public IReadOnlyList<IPAddress> V4 => _v4;

    /// <summary>IPv6 addresses (AAAA).</summary>
    public IReadOnlyList<IPAddress> V6 => _v6;

    /// <summary>Adds the addresses that are not there yet (only while building).</summary>
    public void Add(IPAddress? v4, IPAddress? v6)
    {
        if (v4 is not null && !_v4.Contains(v4))
        {
            _v4.Add(v4);
        }

        if (v6 is not null && !_v6.Contains(v6))
        {
            _v6.Add(v6);
        }
    }
}
