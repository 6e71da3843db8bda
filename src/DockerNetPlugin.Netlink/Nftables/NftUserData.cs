using System.Text;
using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink.Nftables;

/// <summary>
/// libnftnl's user-data format (TLVs of u8 type, u8 length, value), which the kernel stores opaquely and `nft list`
/// decodes: a comment is type 0 with a NUL-terminated string.
/// </summary>
internal static class NftUserData
{
    /// <summary>Longest comment: the TLV length is one byte and counts the NUL.</summary>
    internal const int MaxCommentLength = 127;

    /// <summary>A set's key byte order TLV, as nft writes it for address sets (u32 2 = big endian, host order).</summary>
    internal static readonly byte[] KeyByteOrderBigEndian = Make(Nft.NFTNL_UDATA_SET_KEYBYTEORDER, BitConverter.GetBytes(Nft.NFT_BYTEORDER_BIG_ENDIAN));

    internal static byte[] Comment(string comment)
    {
        var bytes = Encoding.UTF8.GetBytes(comment);
        if (bytes.Length > MaxCommentLength || bytes.Contains((byte)0))
        {
            throw new ArgumentException($"an nftables comment has at most {MaxCommentLength} bytes and no NUL: '{comment}'", nameof(comment));
        }

        return Make(Nft.NFTNL_UDATA_COMMENT, [.. bytes, 0]);
    }

    /// <summary>The comment TLV of user data, or null when there is none (or the data is not in libnftnl's format).</summary>
    internal static string? ReadComment(ReadOnlySpan<byte> userData)
    {
        while (userData.Length >= 2)
        {
            var type = userData[0];
            var length = userData[1];
            if (2 + length > userData.Length)
            {
                return null;
            }

            var value = userData.Slice(2, length);
            if (type == Nft.NFTNL_UDATA_COMMENT)
            {
                return AttributeReader.String(value);
            }

            userData = userData[(2 + length)..];
        }

        return null;
    }

    private static byte[] Make(byte type, ReadOnlySpan<byte> value)
    {
        var tlv = new byte[2 + value.Length];
        tlv[0] = type;
        tlv[1] = checked((byte)value.Length);
        value.CopyTo(tlv.AsSpan(2));
        return tlv;
    }
}
