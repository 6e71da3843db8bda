using System.Text;

namespace DockerNetPlugin.Driver.Liveness;

/// <summary>
/// The liveness echo on the underlay (UDP, <c>DNP_PROBE_PORT</c>). A probe is <c>DNPP</c> + a 16-byte nonce, padded to
/// <see cref="ProbeLength"/> bytes; the answer is <c>DNPA</c> + the nonce + the answering host's id, never longer than
/// the probe (the echo cannot amplify traffic). Anything else is ignored.
/// </summary>
internal static class ProbeMessage
{
    public const int ProbeLength = 96;
    private const int NonceLength = 16;
    private static ReadOnlySpan<byte> ProbeMagic => "DNPP"u8;
    private static ReadOnlySpan<byte> AnswerMagic => "DNPA"u8;

    public static byte[] Probe(ReadOnlySpan<byte> nonce)
    {
        var message = new byte[ProbeLength];
        ProbeMagic.CopyTo(message);
        nonce[..NonceLength].CopyTo(message.AsSpan(4));
        return message;
    }

    /// <summary>The answer to <paramref name="probe"/> from host <paramref name="hostId"/>, or null when it is no probe.</summary>
    public static byte[]? Answer(ReadOnlySpan<byte> probe, string hostId)
    {
        if (probe.Length != ProbeLength || !probe.StartsWith(ProbeMagic))
            return null;
        var id = Encoding.UTF8.GetBytes(hostId);
        var length = Math.Min(ProbeLength, 4 + NonceLength + id.Length);
        var answer = new byte[length];
        AnswerMagic.CopyTo(answer);
        probe.Slice(4, NonceLength).CopyTo(answer.AsSpan(4));
        id.AsSpan(0, length - 4 - NonceLength).CopyTo(answer.AsSpan(4 + NonceLength));
        return answer;
    }

    /// <summary>True when <paramref name="answer"/> answers the probe with <paramref name="nonce"/> and comes from <paramref name="hostId"/>.</summary>
    public static bool IsAnswer(ReadOnlySpan<byte> answer, ReadOnlySpan<byte> nonce, string hostId)
    {
        if (answer.Length < 4 + NonceLength || !answer.StartsWith(AnswerMagic) || !answer.Slice(4, NonceLength).SequenceEqual(nonce[..NonceLength]))
            return false;
        var id = Encoding.UTF8.GetBytes(hostId);
        var expected = id.AsSpan(0, Math.Min(id.Length, ProbeLength - 4 - NonceLength));
        return answer[(4 + NonceLength)..].SequenceEqual(expected);
    }

    public static byte[] NewNonce() => System.Security.Cryptography.RandomNumberGenerator.GetBytes(NonceLength);
}
