namespace Factory.Host.Cli;

/// <summary>
/// Secrets the commands take from their environment, never from arguments (which the machine's
/// other users see in the process list) and never from the repository: the variable itself
/// (<c>FACTORY_MQTT_PASSWORD</c>), or a file named by the variable with <c>_FILE</c> appended
/// (<c>FACTORY_MQTT_PASSWORD_FILE</c>, as container secrets are mounted), whose trailing line break is ignored.
/// </summary>
internal static class Secrets
{
    /// <summary>The secret, or null when neither the variable nor its file variable is set.</summary>
    /// <exception cref="SecretException">The file variable names a file that cannot be read.</exception>
    public static string? FromEnvironment(string variable)
    {
        if (Environment.GetEnvironmentVariable(variable + "_FILE") is { Length: > 0 } path)
        {
            try
            {
                return File.ReadAllText(path).TrimEnd('\r', '\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SecretException($"{variable}_FILE names {path}, which cannot be read: {e.Message}");
            }
        }

        return Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null;
    }
}

/// <summary>A secret that cannot be read; the message names the variable and the file.</summary>
internal sealed class SecretException(string message) : Exception(message);
