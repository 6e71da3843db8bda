using System.Globalization;

namespace DockerNetPlugin.Cli;

/// <summary>How values look in a table cell: ids cut to 12 characters (like <c>docker ps</c>), numbers invariant.</summary>
internal static class Cell
{
    public static string Short(string? id) => id is null ? "-" : id.Length > 12 ? id[..12] : id;

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(long? value) => value is { } v ? Number(v) : "-";

    public static string YesNo(bool value) => value ? "yes" : "no";
}
