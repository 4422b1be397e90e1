using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Ashyq.Registry.Core.Data;

/// <summary>
/// The registry's data model. The schema itself is owned by the SQL files in Data/Migrations;
/// this model only maps onto it, and SchemaDriftTests prove the two agree.
/// </summary>
public sealed class RegistryDbContext(DbContextOptions<RegistryDbContext> options)
    : IdentityDbContext<StaffUser>(options), IDataProtectionKeyContext
{
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<District> Districts => Set<District>();
    public DbSet<CategoryAlias> CategoryAliases => Set<CategoryAlias>();
    public DbSet<Import> Imports => Set<Import>();
    public DbSet<ImportFile> ImportFiles => Set<ImportFile>();
    public DbSet<ImportMessage> ImportMessages => Set<ImportMessage>();
    public DbSet<ReportingWeek> Weeks => Set<ReportingWeek>();
    public DbSet<WeekRow> WeekRows => Set<WeekRow>();
    public DbSet<WeekCount> WeekCounts => Set<WeekCount>();
    public DbSet<Business> Businesses => Set<Business>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    /// <summary>The site's data-protection key ring, read and written by the library's key store.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    // Tables and columns are named in snake_case by convention (WeekStart is week_start, the AuditLog set
    // is the audit_log table); here, not where the context is registered, so that no one who builds one
    // can forget it.
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.UseSnakeCaseNamingConvention();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        MapStaffTable<StaffUser>(builder, "staff_users");
        MapStaffTable<IdentityRole>(builder, "staff_roles");
        MapStaffTable<IdentityUserRole<string>>(builder, "staff_user_roles");
        MapStaffTable<IdentityUserClaim<string>>(builder, "staff_user_claims");
        MapStaffTable<IdentityUserLogin<string>>(builder, "staff_user_logins");
        MapStaffTable<IdentityUserToken<string>>(builder, "staff_user_tokens");
        MapStaffTable<IdentityRoleClaim<string>>(builder, "staff_role_claims");

        builder.Entity<Category>().HasKey(x => x.Code);
        builder.Entity<District>().HasKey(x => x.Code);
        builder.Entity<CategoryAlias>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).UseIdentityByDefaultColumn();
        });
        builder.Entity<Import>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).UseIdentityByDefaultColumn();
            e.Property(x => x.Sha256).HasColumnType("character(64)");
        });
        builder.Entity<ImportFile>(e =>
        {
            e.HasKey(x => x.ImportId);
            e.Property(x => x.ImportId).ValueGeneratedNever();
        });
        builder.Entity<ImportMessage>(e =>
        {
            e.HasKey(x => new { x.ImportId, x.Seq });
            e.Property(x => x.Args).HasColumnType("jsonb");
        });
        builder.Entity<ReportingWeek>(e =>
        {
            e.HasKey(x => x.WeekStart);
            e.Property(x => x.SourceSha256).HasColumnType("character(64)");
        });
        builder.Entity<WeekRow>(e =>
        {
            e.HasKey(x => new { x.WeekStart, x.Bin });
            e.Property(x => x.Bin).HasColumnType("character(12)");
        });
        builder.Entity<WeekCount>().HasKey(x => new { x.WeekStart, x.Dimension, x.Code });
        builder.Entity<Business>(e =>
        {
            e.HasKey(x => x.Bin);
            e.Property(x => x.Bin).HasColumnType("character(12)");
        });
        builder.Entity<AuditEntry>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).UseIdentityByDefaultColumn();
        });
        builder.Entity<DataProtectionKey>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).UseIdentityByDefaultColumn();
            e.Property(x => x.Xml).IsRequired();
        });
    }

    /// <summary>
    /// Maps an account table of ASP.NET Identity onto its staff_ table. Its columns keep the names the
    /// library gives them ("UserName", "NormalizedEmail"), as 0003_staff_accounts.sql created them, so the
    /// snake_case convention is undone for them.
    /// </summary>
    private static void MapStaffTable<T>(ModelBuilder builder, string table)
        where T : class
    {
        var entity = builder.Entity<T>().ToTable(table);
        foreach (var property in entity.Metadata.GetProperties())
            property.SetColumnName(property.Name);
    }
}
