using System.Reflection;
using DockerNetPlugin.Store.Tests.Conformance;
using Xunit.Abstractions;

namespace DockerNetPlugin.Store.Tests.Consul;

/// <summary>
/// Opt-in run of the core and lease conformance suites against a real Consul. Without DNP_TEST_CONSUL_ADDR the one
/// test returns at once and says so in its output (no Consul server can be installed here, TESTBED.md); with it,
/// every [Fact]/[InlineData] case of <see cref="RealConsulCoreSuite"/> and <see cref="RealConsulLeaseSuite"/> runs
/// and each failure is listed by name.
/// </summary>
public sealed class ConsulRealServerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RealConsul_ConformanceSuites_PassWhenAddressGiven()
    {
        if (RealConsul.Address is null)
        {
            output.WriteLine($"{RealConsul.Variable} not set: real Consul suite not run");
            return;
        }
        var failures = new List<string>();
        var ran = 0;
        foreach (var suite in new[] { typeof(RealConsulCoreSuite), typeof(RealConsulLeaseSuite) })
        {
            foreach (var method in suite.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            {
                if (method.GetCustomAttribute<FactAttribute>() is not { Skip: null })
                    continue;
                foreach (var args in Cases(method))
                {
                    ran++;
                    var name = $"{suite.Name}.{method.Name}({string.Join(", ", args)})";
                    var instance = (KvStoreTestBase)Activator.CreateInstance(suite, nonPublic: true)!;
                    try
                    {
                        await instance.InitializeAsync();
                        await (Task)method.Invoke(instance, args)!;
                        output.WriteLine("passed " + name);
                    }
                    catch (Exception e)
                    {
                        var cause = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
                        failures.Add($"{name}: {cause.GetType().Name}: {cause.Message}");
                    }
                    finally
                    {
                        await instance.DisposeAsync();
                    }
                }
            }
        }
        output.WriteLine($"real Consul at {RealConsul.Address}: {ran - failures.Count} passed, {failures.Count} failed");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static IEnumerable<object?[]> Cases(MethodInfo method)
    {
        var data = method.GetCustomAttributes<InlineDataAttribute>().SelectMany(d => d.GetData(method)).ToList();
        return data.Count > 0 ? data : [[]];
    }
}
