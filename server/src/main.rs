use clap::Parser;
use sabak_server::{open_database, serve, Cli, Command};
use tracing_subscriber::EnvFilter;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let config = cli.config;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    if config.log_json {
        tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    if let Err(reason) = config.validate() {
        eprintln!("sabak: {reason}");
        std::process::exit(2);
    }
    if let Some(start) = config
        .clock_start
        .as_deref()
        .and_then(app::db::parse_bishkek_minute)
    {
        app::db::start_clock_at(start);
        tracing::warn!(clock = ?config.clock_start, "demo clock: the server's time is moved");
    }
    // A restore replaces the database file: nothing may hold it open first.
    if let Some(Command::Restore { file }) = &cli.command {
        match sabak_server::backup::restore(&config.database_url(), file).await {
            Ok(_) => println!("restored {} into the database", file.display()),
            Err(reason) => {
                eprintln!("sabak: {reason}");
                std::process::exit(1);
            }
        }
        return;
    }
    let db = match open_database(&config).await {
        Ok(db) => db,
        Err(reason) => {
            eprintln!("sabak: {reason}");
            std::process::exit(1);
        }
    };
    match cli.command.unwrap_or(Command::Serve) {
        Command::Seed { demo, big } => {
            if !demo && !big {
                eprintln!("sabak: say what to seed: `sabak seed --demo` or `sabak seed --big`");
                std::process::exit(2);
            }
            match app::demo::is_empty(&db).await {
                Ok(true) => {}
                Ok(false) => {
                    eprintln!(
                        "sabak: the database already has a school; seeding needs an empty database"
                    );
                    std::process::exit(1);
                }
                Err(err) => {
                    eprintln!("sabak: cannot read the database: {err}");
                    std::process::exit(1);
                }
            }
            let scale = if big {
                app::demo::Scale::BIG
            } else {
                app::demo::Scale::DEMO
            };
            if let Err(err) = app::demo::seed_scaled(&db, scale).await {
                eprintln!("sabak: seeding failed: {err}");
                std::process::exit(1);
            }
            print_demo_logins();
        }
        Command::Backup { file } => {
            if let Err(reason) =
                sabak_server::backup::backup(&db, &config.database_url(), &file).await
            {
                eprintln!("sabak: {reason}");
                std::process::exit(1);
            }
            println!("backup written to {}", file.display());
        }
        Command::Restore { .. } => unreachable!("handled before the database is opened"),
        Command::Serve => {
            if config.demo {
                match app::demo::seed_if_empty(&db).await {
                    Ok(true) => tracing::info!("seeded the demo school"),
                    Ok(false) => {}
                    Err(err) => {
                        eprintln!("sabak: seeding the demo school failed: {err}");
                        std::process::exit(1);
                    }
                }
                print_demo_logins();
            } else {
                // No demo school in production: the first start makes an administrator with a
                // password nobody else knows, printed this once.
                match app::accounts::store::create_first_admin(&db).await {
                    Ok(Some(password)) => println!(
                        "sabak: created the first administrator. Login: admin  Password: {password}\n\
                         sabak: this password is shown once: log in and change it (Admin > People)."
                    ),
                    Ok(None) => {}
                    Err(err) => {
                        eprintln!("sabak: creating the first administrator failed: {err}");
                        std::process::exit(1);
                    }
                }
            }
            println!("Sabak is running on http://{}", config.addr);
            if let Err(err) = serve(config, db).await {
                eprintln!("sabak: {err}");
                std::process::exit(1);
            }
        }
    }
}

fn print_demo_logins() {
    println!(
        "Demo logins (password for all: {}):",
        app::demo::DEMO_PASSWORD
    );
    for (login, what) in app::demo::DEMO_LOGINS {
        println!("  {login:<10} {what}");
    }
}
