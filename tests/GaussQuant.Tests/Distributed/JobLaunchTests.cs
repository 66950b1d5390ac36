using GaussQuant.Distributed;

namespace GaussQuant.Tests.Distributed;

public class JobLaunchTests
{
    private static JobLaunch Detect(params (string Name, string Value)[] variables)
    {
        var environment = variables.ToDictionary(variable => variable.Name, variable => variable.Value);
        return JobLaunch.Detect(name => environment.GetValueOrDefault(name));
    }

    [Fact]
    public void WithoutALauncherTheJobIsOneProcessAndNeedsNoMpi()
    {
        var launch = Detect(("SLURM_PROCID", "0"), ("SLURM_NTASKS", "4"));   // inside an sbatch script, not under srun
        Assert.Equal(new JobLaunch("none", 0, 1), launch);
        Assert.False(launch.IsDistributed);
        Assert.Same(SingleProcess.Instance, launch.Open());
    }

    [Fact]
    public void ReadsMpichHydraPmixAndSrun()
    {
        Assert.Equal(new JobLaunch("MPICH (PMI)", 1, 2), Detect(("PMI_RANK", "1"), ("PMI_SIZE", "2")));
        Assert.Equal(new JobLaunch("PMIx", 3, 8), Detect(("PMIX_RANK", "3"), ("SLURM_NTASKS", "8")));
        Assert.Equal(new JobLaunch("Slurm", 2, 4), Detect(("SLURM_PROCID", "2"), ("SLURM_STEP_NUM_TASKS", "4")));
    }

    [Fact]
    public void RefusesOpenMpiNamingTheLauncherToUse()
    {
        var error = Assert.Throws<NotSupportedException>(() => Detect(("OMPI_COMM_WORLD_RANK", "0"), ("PMI_RANK", "0"), ("PMI_SIZE", "1")));
        Assert.Contains("Open MPI", error.Message);
        Assert.Contains("mpirun.mpich", error.Message);
    }

    [Theory]
    [InlineData("x", "2", "PMI_RANK is 'x'")]
    [InlineData("0", "", "PMI_SIZE is ''")]
    [InlineData("2", "2", "rank 2 is not below the job's size 2")]
    public void RefusesAnEnvironmentThatIsNoJob(string rank, string size, string expected)
    {
        var error = Assert.Throws<NotSupportedException>(() => Detect(("PMI_RANK", rank), ("PMI_SIZE", size)));
        Assert.Contains(expected, error.Message);
    }
}
