namespace DockerNetPlugin.Dns.Wire;

/// <summary>RR types (RFC 1035 §3.2.2, RFC 3596, RFC 6891) and the QTYPE range we treat specially.</summary>
internal static class DnsType
{
    public const ushort A = 1;
    public const ushort PTR = 12;
    public const ushort AAAA = 28;
    public const ushort OPT = 41;

    /// <summary>IXFR, AXFR, MAILB, MAILA and ANY: meta query types this resolver does not implement.</summary>
    public const ushort FirstUnimplementedQType = 251;
    public const ushort ANY = 255;
}

/// <summary>Classes (RFC 1035 §3.2.4).</summary>
internal static class DnsClass
{
    public const ushort IN = 1;
}

/// <summary>Response codes (RFC 1035 §4.1.1, RFC 6891 §9 for BADVERS).</summary>
internal static class DnsRcode
{
    public const int NoError = 0;
    public const int FormErr = 1;
    public const int ServFail = 2;
    public const int NxDomain = 3;
    public const int NotImp = 4;
    public const int Refused = 5;
    public const int BadVers = 16;
}

/// <summary>Sizes and limits of the wire format.</summary>
internal static class DnsLimits
{
    public const int HeaderSize = 12;

    /// <summary>Largest UDP answer to a client that did not send EDNS (RFC 1035 §4.2.1).</summary>
    public const int ClassicUdpSize = 512;

    /// <summary>The UDP size this server advertises in its OPT record (DNS flag day 2020).</summary>
    public const int AdvertisedUdpSize = 1232;

    /// <summary>Largest UDP answer we send even when a client advertises more.</summary>
    public const int MaxUdpAnswer = 4096;

    /// <summary>Largest name in wire form, length octets included (RFC 1035 §2.3.4).</summary>
    public const int MaxNameWire = 255;

    public const int MaxLabel = 63;

    /// <summary>Largest DNS message (16-bit TCP length prefix).</summary>
    public const int MaxMessage = 65535;
}
