using System.Globalization;
using System.Text.Json.Nodes;

namespace DockerNetPlugin.Fuzzer;

/// <summary>Valid and borderline values for every field the protocol carries.</summary>
internal static class EdgeValues
{
    /// <summary>A Docker ID: 64 lowercase hex characters.</summary>
    public static string DockerId(Random rng) => rng.Hex(64);

    /// <summary>IDs Docker could send but rarely does (swarm's 25 characters, short, long) and ones it never sends.</summary>
    public static string EdgeId(Random rng) => rng.Next(14) switch
    {
        0 => rng.Alnum(25),
        1 => "n" + rng.Next(100).ToString(CultureInfo.InvariantCulture),
        2 => rng.Hex(64).ToUpperInvariant(),
        3 => rng.Alnum(128),
        4 => rng.Alnum(129),
        5 => $"{rng.Alnum(6)}-{rng.Alnum(6)}_{rng.Alnum(3)}.{rng.Alnum(4)}",
        6 => "x",
        7 => string.Empty,
        8 => "   ",
        9 => "网络" + rng.Alnum(4),
        10 => "../../" + rng.Alnum(6),
        11 => rng.Alnum(8) + "/" + rng.Alnum(4),
        12 => "-._",
        _ => rng.Hex(12) + "\u0000" + rng.Hex(4),
    };

    public static string Mac(Random rng)
    {
        var bytes = new byte[6];
        rng.NextBytes(bytes);
        bytes[0] = (byte)((bytes[0] & 0xfe) | 0x02); // unicast, locally administered
        return string.Join(':', bytes.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    public static IReadOnlyList<string> EdgeMacs { get; } =
    [
        "ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:01", "00:00:00:00:00:00", "AA-BB-CC-DD-EE-FE", "02:42:0a:00:00:02",
        "aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:ff:00:11", "zz:zz:zz:zz:zz:zz", "0242ac110002", "02:42:ac:11:00:02:",
    ];

    public static IReadOnlyList<string> EdgeVnis { get; } = ["4095", "4096", "16777215", "16777216", "0", "-1", "abc", "", " 5000", "1e4", "99999999999", "007000"];

    public static IReadOnlyList<string> EdgeMtus { get; } = ["575", "576", "1280", "1450", "9000", "65535", "65536", "0", "-1", "abc", ""];

    /// <summary>Values of <c>com.docker.network.internal</c>: Docker sends a bool; the others are refused or read leniently.</summary>
    public static IReadOnlyList<Func<JsonNode?>> InternalFlags { get; } =
        [() => true, () => false, () => "true", () => "yes", () => 1, () => null, () => new JsonObject()];

    public static IReadOnlyList<string> AddressSpaces { get; } = ["dnp-local", "dnp-global"];

    public static IReadOnlyList<string> EdgeAddressSpaces { get; } = ["LocalDefault", "GlobalDefault", "null", string.Empty, "dnp-local/x", "DNP-LOCAL"];

    public static IReadOnlyList<string> SandboxKeys(Random rng) =>
        ["/var/run/docker/netns/" + rng.Hex(12), string.Empty, "/proc/1/ns/net", "relative/path"];
}
