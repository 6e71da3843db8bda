using System.Text.Json;

namespace DockerNetPlugin.Fuzzer;

/// <summary>Reads reply fields the way Docker's Go decoder does: an exact name first, else case-insensitively.</summary>
internal static class ReplyJson
{
    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        value = default;
        if (obj.ValueKind != JsonValueKind.Object)
            return false;
        if (obj.TryGetProperty(name, out value))
            return true;
        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        return false;
    }

    /// <summary>A string field, or null when absent, null or not a string.</summary>
    public static string? String(JsonElement obj, string name) =>
        TryGet(obj, name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Root of a request body read with the plugin's own rules (empty or blank body = none), or null.</summary>
    public static T? Decode<T>(byte[] body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        if (body.All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
            return null;
        try
        {
            return JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
