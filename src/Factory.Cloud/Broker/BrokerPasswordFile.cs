using System.Security.Cryptography;
using System.Text;

namespace Factory.Cloud.Broker;

/// <summary>
/// The users the embedded broker lets in, read from a password file in Mosquitto's format (one
/// <c>user:hash</c> per line, as <c>mosquitto_passwd</c> writes it), so that one file serves the
/// embedded broker and Mosquitto alike. Hashes: <c>$7$iterations$salt$hash</c> (PBKDF2 with
/// HMAC-SHA512, Mosquitto 2's default) and <c>$6$salt$hash</c> (SHA-512 of password and salt).
/// The file holds no password: only hashes.
/// </summary>
public sealed class BrokerPasswordFile
{
    private const int Pbkdf2Iterations = 101;

    private readonly Dictionary<string, Hash> _users;

    private BrokerPasswordFile(string path, Dictionary<string, Hash> users)
    {
        Path = path;
        _users = users;
    }

    public string Path { get; }

    public IReadOnlyCollection<string> Users => _users.Keys;

    /// <summary>Reads a password file.</summary>
    /// <exception cref="BrokerPasswordFileException">The file cannot be read, or a line is not <c>user:hash</c> in a known format (named with its line).</exception>
    public static BrokerPasswordFile Load(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrokerPasswordFileException($"{path}: cannot read the broker's password file: {e.Message}");
        }

        var users = new Dictionary<string, Hash>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new BrokerPasswordFileException($"{path}:{i + 1}: expected user:hash, as mosquitto_passwd writes it");
            }

            var user = line[..colon];
            if (!users.TryAdd(user, Parse(line[(colon + 1)..], path, i + 1, user)))
            {
                throw new BrokerPasswordFileException($"{path}:{i + 1}: user '{user}' is in the file twice");
            }
        }

        if (users.Count == 0)
        {
            throw new BrokerPasswordFileException($"{path}: no user in the file, so no client could connect; add one with 'factory mqtt-user' or mosquitto_passwd.");
        }

        return new BrokerPasswordFile(path, users);
    }

    /// <summary>A line for the file: <paramref name="user"/> with a fresh salt and the PBKDF2 hash of <paramref name="password"/>.</summary>
    public static string Line(string user, string password)
    {
        if (user.Length == 0 || user.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{user}' cannot be a user of the password file (empty, or with ':').", nameof(user));
        }

        var salt = RandomNumberGenerator.GetBytes(12);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Pbkdf2Iterations, HashAlgorithmName.SHA512, 64);
        return $"{user}:$7${Pbkdf2Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Whether the user is in the file with this password (compared in constant time).</summary>
    public bool Verify(string? user, string? password)
    {
        if (user is null || password is null || !_users.TryGetValue(user, out var hash))
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(password);
        var computed = hash.Iterations is { } iterations
            ? Rfc2898DeriveBytes.Pbkdf2(bytes, hash.Salt, iterations, HashAlgorithmName.SHA512, hash.Value.Length)
            : SHA512.HashData([.. bytes, .. hash.Salt]);
        return CryptographicOperations.FixedTimeEquals(computed, hash.Value);
    }

    private static Hash Parse(string text, string path, int line, string user)
    {
        var parts = text.Split('$');
        try
        {
            return parts switch
            {
                ["", "7", var iterations, var salt, var value] => new Hash(int.Parse(iterations, System.Globalization.CultureInfo.InvariantCulture), Convert.FromBase64String(salt), Convert.FromBase64String(value)),
                ["", "6", var salt, var value] => new Hash(null, Convert.FromBase64String(salt), Convert.FromBase64String(value)),
                _ => throw new FormatException("not a $6$ or $7$ hash"),
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new BrokerPasswordFileException($"{path}:{line}: the hash of '{user}' is not one Mosquitto writes ($7$iterations$salt$hash or $6$salt$hash): {e.Message}");
        }
    }

    private sealed record Hash(int? Iterations, byte[] Salt, byte[] Value);
}

/// <summary>A password file the broker cannot use; the message names the file, the line and why.</summary>
public sealed class BrokerPasswordFileException(string message) : Exception(message);
