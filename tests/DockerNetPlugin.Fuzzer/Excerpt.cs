using System.Text;

namespace DockerNetPlugin.Fuzzer;

/// <summary>Short, printable excerpts of bodies and messages for the report (control bytes escaped).</summary>
internal static class Excerpt
{
    public static string Of(string text, int max)
    {
        var sb = new StringBuilder(Math.Min(text.Length, max) + 16);
        foreach (var c in text.Take(max))
            sb.Append(c is < ' ' or '\u007f' ? $"\\x{(int)c:x2}" : c.ToString());
        if (text.Length > max)
            sb.Append("…(").Append(text.Length).Append(" chars)");
        return sb.ToString();
    }

    public static string Of(byte[] body, int max) => body.Length == 0
        ? "(empty)"
        : Of(Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, max)), max) + (body.Length > max ? $"…({body.Length} bytes)" : string.Empty);
}
