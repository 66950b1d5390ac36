using System.Reflection;
using System.Runtime.InteropServices;

namespace GaussQuant.Distributed;

/// <summary>
/// Points MPI.NET's native import (<c>msmpi</c>, Microsoft's MPI) at MPICH's <c>libmpich.so.12</c>. MS-MPI is MPICH's
/// ABI (the same handle values for communicators, datatypes and operations), so MPI.NET's constants are right for
/// MPICH; Open MPI's ABI differs, which is why <see cref="JobLaunch"/> refuses its launcher. Set up once, before the
/// first MPI call; nothing here runs without a launcher, so a machine without MPI never needs the library.
/// </summary>
internal static class MpiLibrary
{
    /// <summary>MPICH's library (Debian/Ubuntu package <c>libmpich12</c>); GQ_MPI_LIBRARY names another build of it.</summary>
    public const string DefaultName = "libmpich.so.12";

    private static readonly Lock Gate = new();
    private static nint handle;

    public static void Resolve()
    {
        lock (Gate)
        {
            if (handle != 0)
                return;
            string name = Environment.GetEnvironmentVariable("GQ_MPI_LIBRARY") is { Length: > 0 } chosen ? chosen : DefaultName;
            if (!NativeLibrary.TryLoad(name, out handle))
                throw new DllNotFoundException(
                    $"gq runs under an MPI launcher but cannot load {name}: install MPICH (apt install mpich) or name its library in GQ_MPI_LIBRARY");
            NativeLibrary.SetDllImportResolver(typeof(MPI.Communicator).Assembly, ResolveImport);
        }
    }

    private static nint ResolveImport(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName.StartsWith("msmpi", StringComparison.OrdinalIgnoreCase) ? handle : 0;
}
