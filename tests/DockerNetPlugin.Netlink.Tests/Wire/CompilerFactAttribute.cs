namespace DockerNetPlugin.Netlink.Tests.Wire;

/// <summary>
/// A fact that compiles C against /usr/include; skipped where no C compiler is installed, since the
/// golden-byte tests already hold every value against netlink.md's verified captures.
/// </summary>
public sealed class CompilerFactAttribute : FactAttribute
{
    internal const string Compiler = "/usr/bin/cc";

    public CompilerFactAttribute()
    {
        if (!File.Exists(Compiler) || !File.Exists("/usr/include/linux/rtnetlink.h"))
        {
            Skip = "needs a C compiler and the Linux UAPI headers";
        }
    }
}
