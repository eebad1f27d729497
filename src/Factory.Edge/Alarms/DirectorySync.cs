using System.Runtime.InteropServices;

namespace Factory.Edge.Alarms;

/// <summary>
/// Makes a directory's entries durable (fsync of the directory on Linux). A new file is only
/// safe after a power loss once the directory that names it is on disk too; .NET opens no
/// handle to a directory, so this asks the C library.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0;
    private const int DirectoryOnly = 0x10000; // O_DIRECTORY on Linux

    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            // Windows has no directory fsync; NTFS journals its metadata.
            return;
        }

        var path = System.Text.Encoding.UTF8.GetBytes(directory + "\0");
        var fd = NativeMethods.open(path, ReadOnly | DirectoryOnly);
        if (fd < 0)
        {
            throw new IOException($"Cannot open the directory {directory} to make a new file in it durable (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (NativeMethods.fsync(fd) != 0)
            {
                throw new IOException($"fsync of the directory {directory} failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = NativeMethods.close(fd);
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        internal static extern int open(byte[] path, int flags);

        [DllImport("libc", SetLastError = true)]
        internal static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        internal static extern int close(int fd);
    }
}
