using Factory.Host.Cli;

namespace Factory.Host.Tests.Cli;

/// <summary>Secrets from a variable or from the file its _FILE variable names (variables of this test only).</summary>
public sealed class SecretsTests : IDisposable
{
    private readonly string _variable = $"FACTORY_TEST_SECRET_{Guid.NewGuid():N}";
    private readonly string _file = Path.GetTempFileName();

    [Fact]
    public void A_secret_comes_from_its_file_before_its_variable_without_the_trailing_line_break()
    {
        Secrets.FromEnvironment(_variable).Should().BeNull("neither is set");

        Environment.SetEnvironmentVariable(_variable, "from-the-variable");
        Secrets.FromEnvironment(_variable).Should().Be("from-the-variable");

        File.WriteAllText(_file, "from the file \n");
        Environment.SetEnvironmentVariable(_variable + "_FILE", _file);
        Secrets.FromEnvironment(_variable).Should().Be("from the file ", "only the line break is dropped");

        File.Delete(_file);
        FluentActions.Invoking(() => Secrets.FromEnvironment(_variable)).Should().Throw<SecretException>()
            .WithMessage($"{_variable}_FILE names {_file}, which cannot be read: *");
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_variable, null);
        Environment.SetEnvironmentVariable(_variable + "_FILE", null);
        File.Delete(_file);
    }
}
