using System.Globalization;

namespace GaussQuant.Distributed;

/// <summary>
/// Whether this process was started as one rank of a job, read from the launcher's environment: MPICH's hydra
/// (<c>mpirun.mpich</c>/<c>mpiexec</c>: PMI_RANK, PMI_SIZE), a PMIx launcher (PMIX_RANK), or Slurm's <c>srun</c>
/// (SLURM_PROCID, SLURM_STEP_NUM_TASKS). Open MPI's <c>mpirun</c> (OMPI_COMM_WORLD_RANK) is refused: its ABI is not the one
/// MPI.NET was built for. Without any of these the process is a job of one and MPI is never loaded.
/// </summary>
/// <param name="Launcher">What started the process ("none" without a launcher).</param>
/// <param name="Rank">The rank the launcher gave it.</param>
/// <param name="Size">The number of ranks the launcher started.</param>
public sealed record JobLaunch(string Launcher, int Rank, int Size)
{
    public bool IsDistributed => Launcher != None;

    private const string None = "none";

    public static JobLaunch Detect() => Detect(Environment.GetEnvironmentVariable);

    /// <param name="variable">Reads one environment variable (null when unset).</param>
    /// <exception cref="NotSupportedException">Open MPI's launcher, or a launcher environment that makes no sense.</exception>
    public static JobLaunch Detect(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        if (variable("OMPI_COMM_WORLD_RANK") is not null)
            throw new NotSupportedException(
                "gq was started by Open MPI's mpirun, whose ABI MPI.NET cannot use; start it with MPICH's launcher (mpirun.mpich / mpiexec.hydra) or srun --mpi=pmi2");
        if (variable("PMI_RANK") is string pmiRank)
            return Read("MPICH (PMI)", pmiRank, variable("PMI_SIZE"), "PMI_RANK", "PMI_SIZE");
        if (variable("PMIX_RANK") is string pmixRank)
            return Read("PMIx", pmixRank, variable("PMIX_SIZE") ?? variable("SLURM_NTASKS"), "PMIX_RANK", "PMIX_SIZE or SLURM_NTASKS");
        // srun without --mpi=pmi2 sets only its step variables (a batch script itself has no SLURM_STEP_NUM_TASKS); MPI_Init
        // would then find no process manager, which Open detects and explains.
        if (variable("SLURM_PROCID") is string slurmRank && variable("SLURM_STEP_NUM_TASKS") is string slurmTasks && slurmTasks != "1")
            return Read("Slurm", slurmRank, slurmTasks, "SLURM_PROCID", "SLURM_STEP_NUM_TASKS");
        return new JobLaunch(None, 0, 1);
    }

    /// <summary>The job's communicator: <see cref="SingleProcess"/> without a launcher, else MPI (loaded only now).</summary>
    public ICommunicator Open()
    {
        if (!IsDistributed)
            return SingleProcess.Instance;
        var communicator = new MpiCommunicator();
        if (communicator.Rank != Rank || communicator.Size != Size)
        {
            communicator.Dispose();
            throw new NotSupportedException(
                $"{Launcher} gave this process rank {Rank} of {Size} but MPI sees rank {communicator.Rank} of {communicator.Size}: " +
                "under srun, pass --mpi=pmi2 so that MPICH finds Slurm's process manager");
        }
        return communicator;
    }

    private static JobLaunch Read(string launcher, string rankText, string? sizeText, string rankName, string sizeName)
    {
        if (!int.TryParse(rankText, NumberStyles.None, CultureInfo.InvariantCulture, out int rank))
            throw new NotSupportedException($"{launcher} launcher: {rankName} is '{rankText}', not a rank");
        if (sizeText is null || !int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out int size) || size < 1)
            throw new NotSupportedException($"{launcher} launcher: {sizeName} is '{sizeText}', not a number of ranks");
        if (rank >= size)
            throw new NotSupportedException($"{launcher} launcher: rank {rank} is not below the job's size {size}");
        return new JobLaunch(launcher, rank, size);
    }
}
