namespace DockerNetPlugin.Dns.Wire;

/// <summary>How a received message is to be treated.</summary>
internal enum DnsParseStatus
{
    /// <summary>A well-formed standard query with one question.</summary>
    Ok,

    /// <summary>Not answerable at all: shorter than a header, or a response (QR=1), which must never be answered (loops).</summary>
    Drop,

    /// <summary>A query we cannot parse: answer FORMERR with the header's ID.</summary>
    FormErr,

    /// <summary>An opcode other than QUERY: answer NOTIMP.</summary>
    NotImp,
}
