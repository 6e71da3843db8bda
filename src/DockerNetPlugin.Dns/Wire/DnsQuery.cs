namespace DockerNetPlugin.Dns.Wire;

/// <summary>A parsed standard query: its header fields, its one question and its EDNS OPT record if any.</summary>
/// <param name="Id">The client's message ID.</param>
/// <param name="Opcode">The opcode (0 for a standard query).</param>
/// <param name="RecursionDesired">The RD bit, echoed in the answer.</param>
/// <param name="CheckingDisabled">The CD bit, echoed in the answer.</param>
/// <param name="QuestionName">The question name in uncompressed wire form, in the client's letter case.</param>
/// <param name="Name">The question name lower-cased and dotted without the final dot ("" for the root).</param>
/// <param name="NameIsHostname">
/// True when every label is printable ASCII without a dot, so <paramref name="Name"/> is unambiguous; a name with
/// other bytes is never answered locally (Docker's resolver cannot match such names either).
/// </param>
/// <param name="QType">The question type.</param>
/// <param name="QClass">The question class.</param>
/// <param name="Edns">The EDNS OPT record, null when the client sent none.</param>
/// <param name="QuestionEnd">The offset just past the question section in the client's message.</param>
internal sealed record DnsQuery(
    ushort Id,
    int Opcode,
    bool RecursionDesired,
    bool CheckingDisabled,
    byte[] QuestionName,
    string Name,
    bool NameIsHostname,
    ushort QType,
    ushort QClass,
    EdnsOptions? Edns,
    int QuestionEnd);

/// <summary>What a client's OPT record says (RFC 6891 §6.1.3).</summary>
/// <param name="UdpSize">The requestor's UDP payload size (values below 512 count as 512).</param>
/// <param name="Version">The EDNS version (only 0 exists).</param>
/// <param name="DnssecOk">The DO bit.</param>
internal sealed record EdnsOptions(int UdpSize, int Version, bool DnssecOk);
