using System.Text;
using System.Text.Json.Nodes;

namespace DockerNetPlugin.Integration.Tests.Reliability.HostileStore;

/// <summary>What the mutator knows of the cluster under attack: its hosts (id, locator), the network's subnet and VNI.</summary>
internal sealed record ClusterFacts(IReadOnlyList<(string HostId, string Locator)> Hosts, string Subnet, uint Vni);

/// <summary>
/// The hostile writer's choices, all from one seeded <see cref="Random"/> (same seed and same real records, same
/// operations): real records under <c>dnp/v1/</c> truncated, bit-flipped, with fields removed, retyped, huge, or
/// changed to what a validator must refuse (zero or multicast MAC, an address outside the subnet, another host's
/// locator, another network's VNI, ids that do not match the key); random keys under every known family and unknown
/// ones; not-JSON and empty values; deletes and in-place overwrites of the real records whose owner restores them.
/// It keeps track of every key it wrote (to clean up after) and every real record it deleted or overwrote.
/// </summary>
internal sealed class StoreMutator
{
    private readonly Random _random;
    private readonly IReadOnlyDictionary<string, byte[]> _originals;
    private readonly ClusterFacts _facts;
    private readonly List<string> _restorable;
    private readonly List<string> _realKeys;
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    public StoreMutator(int seed, IReadOnlyDictionary<string, byte[]> originals, ClusterFacts facts)
    {
        _random = new Random(seed);
        _originals = originals;
        _facts = facts;
        _realKeys = originals.Keys.Order(StringComparer.Ordinal).ToList();
        _restorable = _realKeys.Where(k => KeyFamily.Of(k)?.OwnerRestores == true).ToList();
    }

    /// <summary>Keys the fuzzer wrote that were not real records, with the last bytes it wrote (null: it deleted it again).</summary>
    public Dictionary<string, byte[]?> Written { get; } = new(StringComparer.Ordinal);

    /// <summary>Real records whose owner must put them back: deleted or overwritten, and how often.</summary>
    public Dictionary<string, int> Attacked { get; } = new(StringComparer.Ordinal);

    /// <summary>How many operations of each kind were made.</summary>
    public IReadOnlyDictionary<string, int> Counts => _counts;

    public RawOp Next()
    {
        var roll = _random.Next(100);
        var op = roll switch
        {
            < 8 when _restorable.Count > 0 => Attack(_restorable[_random.Next(_restorable.Count)], delete: true),
            < 20 when _restorable.Count > 0 => Attack(_restorable[_random.Next(_restorable.Count)], delete: false),
            < 60 => Count("mutated copy beside a real record", MutatedBeside()),
            < 75 => Count("random value under a known family", Beside(RealKey(), RandomValue())),
            < 85 => Count("random key under a known family", Own(new RawOp(RandomFamilyKey(), _random.Next(2) == 0 ? RandomValue() : MutatedValue(_originals[RealKey()])))),
            < 93 => Count("unknown or malformed key", Own(new RawOp(MalformedKey(), RandomValue()))),
            _ => DeleteOwn(),
        };
        return op;
    }

    private string RealKey() => _realKeys[_random.Next(_realKeys.Count)];

    private RawOp MutatedBeside()
    {
        var real = RealKey();
        return Beside(real, MutatedValue(_originals[real]), _originals[real]);
    }

    private RawOp Attack(string key, bool delete)
    {
        Attacked[key] = Attacked.GetValueOrDefault(key) + 1;
        return delete
            ? Count("delete of a real record", new RawOp(key, null))
            : Count("real record overwritten in place", new RawOp(key, MutatedValue(_originals[key])));
    }

    /// <summary>A key of the same family as <paramref name="real"/> with one segment changed (or one too many or too few).</summary>
    /// <param name="original">The real record <paramref name="value"/> was made from: a forgery may use it as it is (ids aside), to be valid.</param>
    private RawOp Beside(string real, byte[] value, byte[]? original = null)
    {
        var family = KeyFamily.Of(real);
        string key;
        if (family is null || family.Segments == 0)
        {
            key = real + "/" + Segment();
        }
        else
        {
            var segments = real[(KeyFamily.Root.Length + family.Prefix.Length)..].Split('/').ToList();
            switch (_random.Next(10))
            {
                case 0:
                    segments.Add(Segment());
                    break;
                case 1 when segments.Count > 1:
                    segments.RemoveAt(segments.Count - 1);
                    break;
                default:
                    segments[_random.Next(segments.Count)] = Segment();
                    break;
            }
            key = family.Key(segments);
            if (segments.Count == family.IdFields.Length && _random.Next(3) == 0)
            {
                value = Forged(original is not null && _random.Next(2) == 0 ? original : value, family, segments);
                Count("forgery: ids made to match its key", new RawOp(key, value));
            }
        }
        return Own(new RawOp(key, value));
    }

    /// <summary>The record with its id fields set to the key's segments: what passes the id check, and may pass every other.</summary>
    private static byte[] Forged(byte[] value, KeyFamily family, IReadOnlyList<string> segments)
    {
        try
        {
            if (JsonNode.Parse(value) is not JsonObject record)
                return value;
            for (var i = 0; i < segments.Count; i++)
                record[family.IdFields[i]] = segments[i];
            return Encoding.UTF8.GetBytes(record.ToJsonString());
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException) // JsonNode reads lazily: bad UTF-8 shows late
        {
            return value;
        }
    }

    private string RandomFamilyKey()
    {
        var family = KeyFamily.All[_random.Next(KeyFamily.All.Count)];
        var count = family.Segments == 0 ? 1 : Math.Max(1, family.Segments + _random.Next(-1, 2));
        var key = family.Key(Enumerable.Range(0, count).Select(_ => Segment()));
        return family.Segments == 0 ? KeyFamily.Root + family.Prefix + "/" + Segment() : key;
    }

    private string MalformedKey() => _random.Next(8) switch
    {
        0 => KeyFamily.Root + Segment(),
        1 => KeyFamily.Root + Segment() + "/" + Segment() + "/" + Segment(),
        2 => KeyFamily.Root + "endpoints/",
        3 => KeyFamily.Root + "endpoints//" + Segment(),
        4 => KeyFamily.Root + "endpoints/" + Segment() + "/" + new string('a', 1500),
        5 => KeyFamily.Root + "networks/" + "UPPER-" + Segment(),
        6 => KeyFamily.Root + "hosts/" + "_zz" + Segment(),
        _ => KeyFamily.Root + "endpoints/" + Segment() + "/\u00e9t\u00e9-" + Segment(),
    };

    /// <summary>An id segment: mostly well formed (as an escaped id would be), sometimes what no escape produces.</summary>
    private string Segment() => _random.Next(10) switch
    {
        0 => "",
        1 => "Upper" + _random.Next(1000),
        2 => "_q" + _random.Next(100),
        3 => new string('x', _random.Next(200, 600)),
        _ => "fz" + _random.NextInt64(1L << 40).ToString("x", System.Globalization.CultureInfo.InvariantCulture),
    };

    private RawOp DeleteOwn()
    {
        var own = Written.Where(kv => kv.Value is not null).Select(kv => kv.Key).ToList();
        if (own.Count == 0)
            return Count("unknown or malformed key", Own(new RawOp(MalformedKey(), RandomValue())));
        return Count("delete of a key the fuzzer wrote", Own(new RawOp(own[_random.Next(own.Count)], null)));
    }

    /// <summary>Records a write beside the real records; one that happens to hit a real key the owner does not restore goes one key further.</summary>
    private RawOp Own(RawOp op)
    {
        if (_originals.ContainsKey(op.Key))
        {
            if (KeyFamily.Of(op.Key)?.OwnerRestores == true)
            {
                Attacked[op.Key] = Attacked.GetValueOrDefault(op.Key) + 1;
                return op;
            }
            op = op with { Key = op.Key + "x" };
        }
        Written[op.Key] = op.Value;
        return op;
    }

    private RawOp Count(string kind, RawOp op)
    {
        _counts[kind] = _counts.GetValueOrDefault(kind) + 1;
        return op;
    }

    // --- values -------------------------------------------------------------------------------------------------

    private byte[] MutatedValue(byte[] original) => _random.Next(10) switch
    {
        0 => original[..(original.Length == 0 ? 0 : _random.Next(original.Length))], // truncated
        1 => Flipped(original),
        2 or 3 => FieldMutated(original, semantic: false),
        4 or 5 or 6 or 7 => FieldMutated(original, semantic: true),
        8 => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(original).Replace("\"", "'", StringComparison.Ordinal)), // not JSON any more
        _ => RandomValue(),
    };

    private byte[] Flipped(byte[] original)
    {
        var copy = (byte[])original.Clone();
        for (var i = 0; i < _random.Next(1, 5) && copy.Length > 0; i++)
            copy[_random.Next(copy.Length)] ^= (byte)_random.Next(1, 256);
        return copy;
    }

    /// <summary>One field of the JSON object changed: generically (removed, null, retyped, huge) or to a value a validator must refuse.</summary>
    private byte[] FieldMutated(byte[] original, bool semantic)
    {
        try
        {
            return JsonNode.Parse(original) is JsonObject { Count: > 0 } record ? FieldMutated(record, semantic) : RandomValue();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException) // JsonNode reads lazily: bad UTF-8 shows late
        {
            return RandomValue();
        }
    }

    private byte[] FieldMutated(JsonObject record, bool semantic)
    {
        var names = record.Select(p => p.Key).ToList();
        var name = names[_random.Next(names.Count)];
        if (semantic && SemanticValues(name) is { Count: > 0 } choices)
        {
            record[name] = choices[_random.Next(choices.Count)]?.DeepClone();
            return Encoding.UTF8.GetBytes(record.ToJsonString());
        }
        switch (_random.Next(7))
        {
            case 0:
                record.Remove(name);
                break;
            case 1:
                record[name] = null;
                break;
            case 2:
                record[name] = _random.Next(3) switch { 0 => JsonValue.Create(42), 1 => JsonValue.Create(true), _ => new JsonArray(1, 2) };
                break;
            case 3:
                record[name] = new JsonObject { ["x"] = "y" };
                break;
            case 4:
                record[name] = new string('h', _random.Next(100_000, 400_000));
                break;
            case 5:
                record[name] = "";
                break;
            default:
                record["unknown" + _random.Next(100)] = "from another version";
                break;
        }
        return Encoding.UTF8.GetBytes(record.ToJsonString());
    }

    /// <summary>Values a validator must refuse for a field of this name (or must check against another record).</summary>
    private List<JsonNode?> SemanticValues(string name)
    {
        var other = _facts.Hosts[_random.Next(_facts.Hosts.Count)];
        var net = _facts.Subnet.Split('/')[0].Split('.');
        var prefix = $"{net[0]}.{net[1]}.{net[2]}.";
        return name.ToLowerInvariant() switch
        {
            "mac" => ["00:00:00:00:00:00", "01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff", "33:33:00:00:00:01", "02:42:zz:00:00:01", "02:42:0a"],
            "ipv4" => ["192.168.200.7/24", $"{net[0]}.{net[1]}.{int.Parse(net[2], System.Globalization.CultureInfo.InvariantCulture) + 1}.9/24", prefix + "0/24", prefix + "255/24", prefix + "300/24", "999.1.1.1/24", "fe80::1/64", prefix + "77/8"],
            "ipv6" => ["2001:db8::1/64", prefix + "9/24", "zz::1/64"],
            "locator" => [other.Locator, "10.99.99.99", "0.0.0.0", "127.0.0.1", "255.255.255.255", "224.0.0.1", "::1"],
            "hostid" or "host" or "createdby" => [other.HostId, "fzhost" + _random.Next(1000), ""],
            "endpointid" or "networkid" or "id" or "dockernetworkid" => ["fz" + _random.Next(100000), "", "../" + _random.Next(10)],
            "vni" => [_facts.Vni, 0, 16_777_216, 4_294_967_296, -1, 1.5, "42", _random.Next(1, 16_777_215)],
            "subnets" => [new JsonArray(), new JsonArray(new JsonObject { ["pool"] = "10.0.0.0/8" }), new JsonArray(new JsonObject { ["pool"] = "not a cidr", ["gateway"] = "x" })],
            "pool" or "cidr" => ["10.0.0.0/8", "not a cidr", _facts.Subnet.Replace("/24", "/16", StringComparison.Ordinal)],
            "gateway" => ["192.168.200.1/24", "x"],
            "mtu" => [0, -1, 70000],
            "options" => [new JsonObject { ["com.docker.network.driver.mtu"] = "1" }, new JsonArray()],
            _ => [],
        };
    }

    private byte[] RandomValue() => _random.Next(14) switch
    {
        0 => [],
        1 => "not json"u8.ToArray(),
        2 => "null"u8.ToArray(),
        3 => "[]"u8.ToArray(),
        4 => "{}"u8.ToArray(),
        5 => "42"u8.ToArray(),
        6 => "\"a string\""u8.ToArray(),
        7 => RandomBytes(_random.Next(1, 300)),
        8 => [0xEF, 0xBB, 0xBF, .. "{\"mac\":\"02:42:0a:00:00:01\"}"u8.ToArray()],
        9 => [0xC3, 0x28, .. "{}"u8.ToArray()], // invalid UTF-8
        10 => Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)),
        11 => Encoding.UTF8.GetBytes("{\"big\":\"" + new string('x', _random.Next(20) == 0 ? 1_000_000 : 10_000) + "\"}"),
        12 => Encoding.UTF8.GetBytes("{\"networkId\":1,\"endpointId\":[],\"hostId\":{},\"mac\":null}"),
        _ => Encoding.UTF8.GetBytes("{\"a\":" + _random.NextDouble().ToString(System.Globalization.CultureInfo.InvariantCulture) + "e400}"),
    };

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }
}
