using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Factory.Cloud.Database;

/// <summary>A database the cloud cannot use, or a connection string it cannot read; the message names which and why.</summary>
public sealed class CloudDatabaseException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Where a cloud node keeps its relational data: the users and API tokens, the model registry
/// (with its packages) and the planning. By default each is a SQLite file in the node's data
/// folder: one node alone. Nodes of one cluster share a PostgreSQL database instead, so that any
/// of them answers for all of it; each part has a schema of its own there (<c>access</c>,
/// <c>models</c>, <c>planning</c>), made at the first start.
/// </summary>
public sealed class CloudDatabase
{
    private readonly string? _dataDirectory;
    private readonly string? _connectionString;

    private CloudDatabase(string? dataDirectory, string? connectionString, string description)
    {
        _dataDirectory = dataDirectory;
        _connectionString = connectionString;
        Description = description;
    }

    /// <summary>True when several nodes may share it (PostgreSQL); false for a node's own SQLite files.</summary>
    public bool IsShared => _connectionString is not null;

    /// <summary>Says which database, for people, without the password.</summary>
    public string Description { get; }

    /// <summary>SQLite files in <paramref name="dataDirectory"/>: one node's own.</summary>
    public static CloudDatabase Sqlite(string dataDirectory)
    {
        var folder = Directory.CreateDirectory(dataDirectory).FullName;
        return new CloudDatabase(folder, null, $"SQLite files in {folder}");
    }

    /// <summary>
    /// A PostgreSQL database in Npgsql's connection string form
    /// (<c>Host=db1;Port=5432;Database=factory;Username=factory</c>); the password, when the
    /// string has none, from <paramref name="password"/> (an environment variable, never the command line).
    /// </summary>
    /// <exception cref="CloudDatabaseException">The string cannot be read, or names no host or database.</exception>
    public static CloudDatabase PostgreSql(string connectionString, string? password = null)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new CloudDatabaseException($"The database connection string cannot be read: {e.Message} (expected the form Host=HOST;Port=5432;Database=NAME;Username=USER).", e);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new CloudDatabaseException("The database connection string names no Host (expected the form Host=HOST;Port=5432;Database=NAME;Username=USER).");
        }

        if (string.IsNullOrWhiteSpace(builder.Database))
        {
            throw new CloudDatabaseException($"The database connection string for {builder.Host} names no Database (expected the form Host=HOST;Port=5432;Database=NAME;Username=USER).");
        }

        if (string.IsNullOrEmpty(builder.Password) && !string.IsNullOrEmpty(password))
        {
            builder.Password = password;
        }

        var user = string.IsNullOrEmpty(builder.Username) ? "" : $" as {builder.Username}";
        return new CloudDatabase(null, builder.ConnectionString, $"PostgreSQL database {builder.Database} on {builder.Host}:{builder.Port}{user}");
    }

    /// <summary>The options of one part's context: its SQLite file, or the shared PostgreSQL database.</summary>
    internal DbContextOptions<TContext> Options<TContext>(string sqliteFileName)
        where TContext : DbContext
    {
        var builder = new DbContextOptionsBuilder<TContext>();
        Configure(builder, sqliteFileName);
        return builder.Options;
    }

    /// <summary>Configures a context's options as <see cref="Options{TContext}"/> does (for contexts made by dependency injection).</summary>
    internal void Configure(DbContextOptionsBuilder builder, string sqliteFileName)
    {
        if (_connectionString is not null)
        {
            builder.UseNpgsql(_connectionString);
        }
        else
        {
            builder.UseSqlite($"Data Source={Path.Combine(_dataDirectory!, sqliteFileName)};Pooling=False");
        }
    }
}
