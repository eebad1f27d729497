using System.Data.Common;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Factory.Cloud.Database;

/// <summary>
/// Makes a part's tables, and serializes its changes across the nodes sharing a database.
/// </summary>
internal static partial class DatabaseSchema
{
    /// <summary>The advisory lock every node takes while it makes tables, so that two starting at once do not collide.</summary>
    private const long SchemaLock = 0x4661_6374_6f72_79;

    /// <summary>
    /// Makes the tables and indexes of <paramref name="db"/>'s model that the database lacks, and
    /// nothing else: a new database gets all of them, one made by an older version the ones added
    /// since, and the tables of the other parts sharing the database are left alone
    /// (<c>EnsureCreated</c> does nothing once any table exists). A PostgreSQL database that does
    /// not exist yet is created, when the user may.
    /// </summary>
    /// <exception cref="CloudDatabaseException">The database cannot be reached, refuses the user, or cannot be created.</exception>
    public static void CreateMissing(CloudDatabase database, DbContext db, string part)
    {
        var script = IfNotExists(db.Database.GenerateCreateScript());
        try
        {
            CreateDatabaseIfMissing(db);
            using var transaction = db.Database.BeginTransaction();
            if (db.Database.IsNpgsql())
            {
                db.Database.ExecuteSqlRaw("SELECT pg_advisory_xact_lock({0})", SchemaLock);
            }

            var connection = db.Database.GetDbConnection();
            using var command = connection.CreateCommand();
            command.Transaction = transaction.GetDbTransaction();
            command.CommandText = script;
            command.ExecuteNonQuery();
            transaction.Commit();
        }
        catch (Exception e) when (e is DbException or SocketException or TimeoutException or InvalidOperationException)
        {
            throw new CloudDatabaseException($"The {part} cannot use the {database.Description}: {Reason(e)}", e);
        }
    }

    /// <summary>
    /// Begins a transaction in which a part's change is made alone: on PostgreSQL no other node
    /// changes the same <paramref name="scope"/> until it ends (a transaction-level advisory lock);
    /// a node's own SQLite file has no other writer.
    /// </summary>
    public static async Task<IDbContextTransaction> BeginSerializedAsync(this DatabaseFacade database, string scope, CancellationToken cancellationToken)
    {
        var transaction = await database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (database.IsNpgsql())
        {
            await database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext({0}))", [scope], cancellationToken).ConfigureAwait(false);
        }

        return transaction;
    }

    /// <inheritdoc cref="BeginSerializedAsync"/>
    public static IDbContextTransaction BeginSerialized(this DatabaseFacade database, string scope)
    {
        var transaction = database.BeginTransaction();
        if (database.IsNpgsql())
        {
            database.ExecuteSqlRaw("SELECT pg_advisory_xact_lock(hashtext({0}))", scope);
        }

        return transaction;
    }

    /// <summary>The create script with every table and index made only when missing (both SQLite and PostgreSQL read the clause).</summary>
    internal static string IfNotExists(string script) =>
        CreateStatement().Replace(script, m => m.Value + "IF NOT EXISTS ");

    [GeneratedRegex(@"^CREATE (UNIQUE )?(TABLE|INDEX) (?!IF NOT EXISTS)", RegexOptions.Multiline)]
    private static partial Regex CreateStatement();

    private static void CreateDatabaseIfMissing(DbContext db)
    {
        if (!db.Database.IsNpgsql())
        {
            return;
        }

        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (creator.Exists())
        {
            return;
        }

        try
        {
            creator.Create();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another node made it meanwhile.
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            var builder = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
            throw new CloudDatabaseException(
                $"The PostgreSQL database {builder.Database} on {builder.Host}:{builder.Port} does not exist, and {builder.Username} may not create it: create it with 'createdb -h {builder.Host} -p {builder.Port} -O {builder.Username} {builder.Database}'.", e);
        }
    }

    /// <summary>
    /// What the server or the network said: EF Core wraps a failed connection in "likely due to a
    /// transient failure", which says nothing; the innermost cause does.
    /// </summary>
    private static string Reason(Exception e)
    {
        var innermost = e;
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }

        var npgsql = e as NpgsqlException ?? e.InnerException as NpgsqlException;
        return innermost switch
        {
            PostgresException postgres => $"{postgres.MessageText} ({postgres.SqlState})",
            _ when npgsql is not null && npgsql != innermost => $"{npgsql.Message} {innermost.Message}",
            _ => innermost.Message,
        };
    }
}
